package io.spawnwatch.libbpf;

import io.spawnwatch.sys.Errno;

import io.spawnwatch.error.BpfException;
import io.spawnwatch.libbpf.jextract.LibBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A BPF ELF object opened from memory (the object ships inside the jar).
 * Owns its native lifetime: the ELF bytes live in this object's arena, since
 * libbpf keeps pointing at them until close.
 */
public final class BpfObject implements AutoCloseable {
    private final Arena arena;
    private final String name;
    private MemorySegment object;

    private BpfObject(Arena arena, String name, MemorySegment object) {
        this.arena = arena;
        this.name = name;
        this.object = object;
    }

    public static BpfObject openMemory(byte[] elf, String name) throws BpfException {
        LibBpfLog.install();
        Arena arena = Arena.ofShared();
        MemorySegment buf = arena.allocate(elf.length, 8);
        MemorySegment.copy(MemorySegment.ofArray(elf), 0, buf, 0, elf.length);
        ErrnoCalls.Result result = ErrnoCalls.openMem(buf, elf.length, MemorySegment.NULL);
        if (result.failed()) {
            arena.close();
            throw new BpfException("libbpf: open BPF object " + name + " from memory: "
                    + Errno.describe(result.errno()) + recentLog(), result.errno());
        }
        return new BpfObject(arena, name, result.pointer());
    }

    public String name() {
        return name;
    }

    /** Loads every program whose autoload is on, and creates the maps. */
    public void load() throws BpfException {
        LibBpfLog.clearRecent();
        int err = LibBpf.bpf_object__load(live());
        if (err != 0) {
            throw new BpfException("libbpf: load BPF object " + name + ": " + Errno.describe(err) + recentLog(),
                    -err);
        }
    }

    public BpfProgram program(String programName) throws BpfException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment p = LibBpf.bpf_object__find_program_by_name(live(), tmp.allocateFrom(programName));
            if (p.equals(MemorySegment.NULL)) {
                throw new BpfException("libbpf: BPF object " + name + " has no program " + programName,
                        Errno.ENOENT);
            }
            return new BpfProgram(p, programName);
        }
    }

    public BpfMap map(String mapName) throws BpfException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment m = LibBpf.bpf_object__find_map_by_name(live(), tmp.allocateFrom(mapName));
            if (m.equals(MemorySegment.NULL)) {
                throw new BpfException("libbpf: BPF object " + name + " has no map " + mapName, Errno.ENOENT);
            }
            return new BpfMap(m, mapName);
        }
    }

    /** The number of possible CPUs: the value count of a per-CPU map. */
    public static int possibleCpus() {
        return LibBpf.libbpf_num_possible_cpus();
    }

    private MemorySegment live() {
        if (object == null) {
            throw new IllegalStateException("BPF object " + name + " is closed");
        }
        return object;
    }

    /** Closes the object: unloads its programs and frees its maps (links must be closed first). */
    @Override
    public synchronized void close() {
        if (object != null) {
            LibBpf.bpf_object__close(object);
            object = null;
            arena.close();
        }
    }

    private static String recentLog() {
        List<String> lines = LibBpfLog.recent();
        if (lines.isEmpty()) {
            return "";
        }
        int from = Math.max(0, lines.size() - 12);
        return "\n  libbpf said:\n    " + String.join("\n    ", lines.subList(from, lines.size()));
    }
}
