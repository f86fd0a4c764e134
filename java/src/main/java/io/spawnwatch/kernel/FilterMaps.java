package io.spawnwatch.kernel;

import io.spawnwatch.error.BpfException;
import io.spawnwatch.event.FileRecordDescriptor;
import io.spawnwatch.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to the kernel filter: the web-server name trie, the web-server
 * uid set and the lineage map. Changes take effect for the next event: the
 * BPF programs read these maps on every exec and connect. The uid set and the
 * lineage map each have a bitmap in front ({@link FilterBitmap}) that answers
 * the kernel's "no" without a hash lookup; a key's bit is set here before the
 * key goes into its map.
 */
public final class FilterMaps {
    private static final int COMM_LEN = 16;
    private static final int COMM_KEY_SIZE = 4 + COMM_LEN;
    /** struct sw_lineage, the lineage map's value (RecordLayoutTest checks these against C). */
    public static final int LINEAGE_VALUE_SIZE = 16;
    public static final int LINEAGE_ROOT_PID_OFFSET = 0;
    public static final int LINEAGE_DEPTH_OFFSET = 4;
    public static final int LINEAGE_ROOT_START_OFFSET = 8;

    private final BpfMap webComms;
    private final BpfMap candidateComms;
    private final BpfMap webUids;
    private final BpfMap lineage;
    private final BpfMap filePrefixes;
    private final BpfMap fileNames;
    private final BpfMap scriptExtensions;
    private final FilterBitmap webUidBits;
    private final FilterBitmap lineageBits;

    public FilterMaps(KernelProbes probes) throws BpfException {
        this.webUidBits = probes.webUidBits();
        this.lineageBits = probes.lineageBits();
        this.webComms = probes.map("web_comms");
        this.candidateComms = probes.map("candidate_comms");
        this.webUids = probes.map("web_uids");
        this.lineage = probes.map("lineage");
        this.filePrefixes = probes.map("file_prefixes");
        this.fileNames = probes.map("file_names");
        this.scriptExtensions = probes.map("script_exts");
    }

    /**
     * Adds a name: exact names go in with their terminating NUL inside the
     * prefix, so "nginx" does not match "nginx2"; "php-fpm*" without it.
     */
    public synchronized void addName(String name) throws BpfException {
        String problem = WebServerNames.validate(name);
        if (problem != null) {
            throw new IllegalArgumentException("web-server name " + problem);
        }
        try (Arena arena = Arena.ofConfined()) {
            webComms.update(commKey(arena, name), arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 1), BpfMap.ANY);
        }
    }

    /**
     * Adds an interpreter name: its execs go up alone, marked
     * MATCH_CANDIDATE, for user space to judge by command line.
     */
    public synchronized void addInterpreter(String name) throws BpfException {
        String problem = WebServerNames.validate(name);
        if (problem != null) {
            throw new IllegalArgumentException("interpreter name " + problem);
        }
        try (Arena arena = Arena.ofConfined()) {
            candidateComms.update(commKey(arena, name), arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 1),
                    BpfMap.ANY);
        }
    }

    /** Returns false when the name was not there. */
    public synchronized boolean removeName(String name) throws BpfException {
        if (WebServerNames.validate(name) != null) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            return webComms.delete(commKey(arena, name));
        }
    }

    /** The names in the trie, prefixes with their trailing '*'. */
    public synchronized List<String> names() throws BpfException {
        List<String> names = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(COMM_KEY_SIZE);
            MemorySegment next = arena.allocate(COMM_KEY_SIZE);
            MemorySegment current = MemorySegment.NULL;
            while (webComms.nextKey(current, next)) {
                names.add(decodeCommKey(next));
                MemorySegment.copy(next, 0, key, 0, COMM_KEY_SIZE);
                current = key;
            }
        }
        names.sort(null);
        return names;
    }

    public synchronized void addUid(long uid) throws BpfException {
        webUidBits.set(uidBit(uid));
        try (Arena arena = Arena.ofConfined()) {
            webUids.update(arena.allocateFrom(ValueLayout.JAVA_INT, (int) uid),
                    arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 1), BpfMap.ANY);
        }
    }

    public synchronized boolean removeUid(long uid) throws BpfException {
        boolean removed;
        try (Arena arena = Arena.ofConfined()) {
            removed = webUids.delete(arena.allocateFrom(ValueLayout.JAVA_INT, (int) uid));
        }
        // The bit goes only when no remaining uid shares it (uids equal modulo its size).
        for (long other : uids()) {
            if (uidBit(other) == uidBit(uid)) {
                return removed;
            }
        }
        webUidBits.clear(uidBit(uid));
        return removed;
    }

    /** The bit of web_uid_bits for a uid, as is_web_uid() in bpf/spawnwatch.bpf.c picks it. */
    private long uidBit(long uid) {
        return (uid & 0xffff_ffffL) % webUidBits.bits();
    }

    public synchronized List<Long> uids() throws BpfException {
        List<Long> uids = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment next = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment current = MemorySegment.NULL;
            while (webUids.nextKey(current, next)) {
                uids.add(Integer.toUnsignedLong(next.get(ValueLayout.JAVA_INT, 0)));
                MemorySegment.copy(next, 0, key, 0, 4);
                current = key;
            }
        }
        uids.sort(null);
        return uids;
    }

    /**
     * Makes a process a lineage root (depth 0): a server that user space
     * recognised by its command line. Its children are followed from now on.
     */
    public void addRoot(int pid, long startBootNanos) throws BpfException {
        addLineage(pid, pid, startBootNanos, 0);
    }

    /**
     * Puts a process into the lineage (used when seeding from /proc).
     *
     * @param rootStartBootNanos the root's start time, CLOCK_BOOTTIME ns (from
     *     /proc at tick resolution when seeded; 0 when unknown)
     */
    public void addLineage(int pid, int rootPid, long rootStartBootNanos, int depth) throws BpfException {
        lineageBits.set(Integer.toUnsignedLong(pid));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(LINEAGE_VALUE_SIZE);
            value.set(ValueLayout.JAVA_INT, LINEAGE_ROOT_PID_OFFSET, rootPid);
            value.set(ValueLayout.JAVA_INT, LINEAGE_DEPTH_OFFSET, depth);
            value.set(ValueLayout.JAVA_LONG_UNALIGNED, LINEAGE_ROOT_START_OFFSET, rootStartBootNanos);
            lineage.update(arena.allocateFrom(ValueLayout.JAVA_INT, pid), value, BpfMap.ANY);
        }
    }


    /**
     * Watches writes under a path prefix for the lineage, as a class
     * (FileRecordDescriptor.CLASS_*); the longest prefix wins. A web root
     * (CLASS_WEB_ROOT) counts only for script extensions.
     *
     * @throws IllegalArgumentException when the prefix is not absolute or too long
     */
    public synchronized void addFilePrefix(String prefix, int pathClass) throws BpfException {
        String problem = WatchedPaths.validatePrefix(prefix);
        if (problem != null) {
            throw new IllegalArgumentException("watched path " + problem);
        }
        byte[] bytes = prefix.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(4 + FileRecordDescriptor.PREFIX_LENGTH);
            key.set(ValueLayout.JAVA_INT, 0, bytes.length * 8);
            MemorySegment.copy(bytes, 0, key, ValueLayout.JAVA_BYTE, 4, bytes.length);
            filePrefixes.update(key, arena.allocateFrom(ValueLayout.JAVA_INT, pathClass), BpfMap.ANY);
        }
    }

    /** Watches a base name wherever it is (authorized_keys, .bashrc), as a class. */
    public synchronized void addFileName(String name, int pathClass) throws BpfException {
        String problem = WatchedPaths.validateName(name);
        if (problem != null) {
            throw new IllegalArgumentException("watched file name " + problem);
        }
        try (Arena arena = Arena.ofConfined()) {
            fileNames.update(fixed(arena, name, FileRecordDescriptor.NAME_LENGTH),
                    arena.allocateFrom(ValueLayout.JAVA_INT, pathClass), BpfMap.ANY);
        }
    }

    /** Makes files with this extension (".php") count under a web root. */
    public synchronized void addScriptExtension(String extension) throws BpfException {
        String problem = WatchedPaths.validateExtension(extension);
        if (problem != null) {
            throw new IllegalArgumentException("script extension " + problem);
        }
        try (Arena arena = Arena.ofConfined()) {
            scriptExtensions.update(fixed(arena, extension, FileRecordDescriptor.EXTENSION_LENGTH),
                    arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 1), BpfMap.ANY);
        }
    }

    /**
     * Fills the file filter (the configuration's files section): directories
     * get their trailing '/'; persistence paths are taken as written (files
     * or directories).
     */
    public void watchFiles(List<String> writableDirs, List<String> persistencePaths, List<String> persistenceNames,
            List<String> webRoots, List<String> scriptExtensions) throws BpfException {
        for (String dir : writableDirs) {
            addFilePrefix(WatchedPaths.directory(dir), FileRecordDescriptor.CLASS_WRITABLE);
        }
        for (String path : persistencePaths) {
            addFilePrefix(path, FileRecordDescriptor.CLASS_PERSISTENCE);
        }
        for (String root : webRoots) {
            addFilePrefix(WatchedPaths.directory(root), FileRecordDescriptor.CLASS_WEB_ROOT);
        }
        for (String name : persistenceNames) {
            addFileName(name, FileRecordDescriptor.CLASS_PERSISTENCE);
        }
        for (String ext : scriptExtensions) {
            addScriptExtension(ext);
        }
    }

    /** A NUL-padded fixed-size key. */
    private static MemorySegment fixed(Arena arena, String text, int size) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        MemorySegment key = arena.allocate(size);
        MemorySegment.copy(bytes, 0, key, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return key;
    }

    static MemorySegment commKey(Arena arena, String name) {
        byte[] bare = WebServerNames.bare(name).getBytes(StandardCharsets.UTF_8);
        MemorySegment key = arena.allocate(COMM_KEY_SIZE);
        int prefixBytes = WebServerNames.isPrefix(name) ? bare.length : bare.length + 1;
        key.set(ValueLayout.JAVA_INT, 0, prefixBytes * 8);
        MemorySegment.copy(bare, 0, key, ValueLayout.JAVA_BYTE, 4, bare.length);
        return key;
    }

    static String decodeCommKey(MemorySegment key) {
        int prefixBytes = key.get(ValueLayout.JAVA_INT, 0) / 8;
        byte[] bytes = key.asSlice(4, COMM_LEN).toArray(ValueLayout.JAVA_BYTE);
        int len = 0;
        while (len < bytes.length && bytes[len] != 0) {
            len++;
        }
        String name = new String(bytes, 0, len, StandardCharsets.UTF_8);
        return prefixBytes > len ? name : name + "*";
    }
}
