package io.spawnwatch.libbpf;

import io.spawnwatch.sys.Errno;

import io.spawnwatch.error.BpfException;
import io.spawnwatch.libbpf.jextract.LibBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One map of a {@link BpfObject}. Element calls go through libbpf's
 * bpf_map__*_elem, which check the key and value sizes against the map.
 */
public final class BpfMap {
    /** Flags of bpf_map_update_elem. */
    public static final long ANY = 0;
    public static final long NOEXIST = 1;

    private final MemorySegment map;
    private final String name;

    BpfMap(MemorySegment map, String name) {
        this.map = map;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public int fd() {
        return LibBpf.bpf_map__fd(map);
    }



    public int maxEntries() {
        return LibBpf.bpf_map__max_entries(map);
    }

    /** Before load only. */
    public void setMaxEntries(int entries) throws BpfException {
        check(LibBpf.bpf_map__set_max_entries(map, entries), "set max_entries=" + entries);
    }

    /** Before load only: the initial contents of a global data map (.rodata, .data). */
    public MemorySegment initialValue() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment data = LibBpf.bpf_map__initial_value(map, size);
            return data.reinterpret(size.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    public void update(MemorySegment key, MemorySegment value, long flags) throws BpfException {
        check(LibBpf.bpf_map__update_elem(map, key, key.byteSize(), value, value.byteSize(), flags), "update");
    }

    /** Returns false when the key is absent. */
    public boolean lookup(MemorySegment key, MemorySegment value) throws BpfException {
        int err = LibBpf.bpf_map__lookup_elem(map, key, key.byteSize(), value, value.byteSize(), 0);
        if (err == -Errno.ENOENT) {
            return false;
        }
        check(err, "lookup");
        return true;
    }

    /** Returns false when the key was absent. */
    public boolean delete(MemorySegment key) throws BpfException {
        int err = LibBpf.bpf_map__delete_elem(map, key, key.byteSize(), 0);
        if (err == -Errno.ENOENT) {
            return false;
        }
        check(err, "delete");
        return true;
    }

    /** Iteration: writes the key after {@code current} (NULL: the first) into next; false at the end. */
    public boolean nextKey(MemorySegment current, MemorySegment next) throws BpfException {
        int err = LibBpf.bpf_map__get_next_key(map, current, next, next.byteSize());
        if (err == -Errno.ENOENT) {
            return false;
        }
        check(err, "get next key");
        return true;
    }

    private void check(int err, String what) throws BpfException {
        if (err < 0) {
            throw new BpfException("libbpf: map " + name + ": " + what + ": " + Errno.describe(err), -err);
        }
    }
}
