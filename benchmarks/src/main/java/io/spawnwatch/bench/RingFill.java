package io.spawnwatch.bench;

import io.spawnwatch.libbpf.jextract.LibBpf;
import io.spawnwatch.libbpf.jextract.bpf_test_run_opts;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel-side producer of the ring-drain benchmark: loads
 * native/bench/ringfill.bpf.o (built into build/bench/) and runs its raw_tp
 * program with BPF_PROG_TEST_RUN, which fills the ring buffer map "ring" with
 * records of the real contract layout through bpf_loop.
 *
 * <p>Uses the generated libbpf bindings directly: the spawnwatch facades do
 * not expose a program's fd, which BPF_PROG_TEST_RUN needs. {@link #fill}
 * allocates nothing, so that it can run inside a measured iteration's setup
 * without showing up in {@code -prof gc}.
 */
final class RingFill implements AutoCloseable {
    /** Where run.sh builds the helpers; override with SPAWNWATCH_BENCH_DIR. */
    static final Path BENCH_DIR = Path.of(System.getenv().getOrDefault("SPAWNWATCH_BENCH_DIR", "build/bench"));

    private final Arena arena = Arena.ofShared();
    private final MemorySegment object;
    private final int mapFd;
    private final int progFd;
    private final long ringBytes;
    private final MemorySegment opts;
    private final MemorySegment args;

    RingFill(long ringBytes) throws IOException {
        Path path = BENCH_DIR.resolve("ringfill.bpf.o");
        byte[] elf;
        try {
            elf = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IOException("bench: cannot read " + path.toAbsolutePath()
                    + ": build it with `make -C native/bench` (benchmarks/run.sh does): " + e.getMessage(), e);
        }
        this.ringBytes = ringBytes;
        MemorySegment buf = arena.allocate(elf.length, 8);
        MemorySegment.copy(MemorySegment.ofArray(elf), 0, buf, 0, elf.length);
        this.object = LibBpf.bpf_object__open_mem(buf, elf.length, MemorySegment.NULL);
        if (object.equals(MemorySegment.NULL)) {
            arena.close();
            throw new IOException("bench: libbpf cannot open " + path);
        }
        try {
            MemorySegment map = LibBpf.bpf_object__find_map_by_name(object, arena.allocateFrom("ring"));
            MemorySegment prog = LibBpf.bpf_object__find_program_by_name(object, arena.allocateFrom("fill_ring"));
            if (map.equals(MemorySegment.NULL) || prog.equals(MemorySegment.NULL)) {
                throw new IOException("bench: " + path + " has no map 'ring' or no program 'fill_ring'");
            }
            check(LibBpf.bpf_map__set_max_entries(map, (int) ringBytes), "set max_entries=" + ringBytes);
            check(LibBpf.bpf_object__load(object), "load " + path + " (root with CAP_BPF needed)");
            this.mapFd = LibBpf.bpf_map__fd(map);
            this.progFd = LibBpf.bpf_program__fd(prog);
        } catch (IOException | RuntimeException e) {
            LibBpf.bpf_object__close(object);
            arena.close();
            throw e;
        }
        this.args = arena.allocate(16, 8);
        this.opts = arena.allocate(bpf_test_run_opts.layout());
        bpf_test_run_opts.sz(opts, bpf_test_run_opts.layout().byteSize());
        bpf_test_run_opts.ctx_in(opts, args);
        bpf_test_run_opts.ctx_size_in(opts, (int) args.byteSize());
    }

    int mapFd() {
        return mapFd;
    }

    long ringBytes() {
        return ringBytes;
    }

    /** Commits {@code records} records of {@code type} (RecordDescriptor.TYPE_*) to the ring, in the kernel. */
    void fill(int records, int type) {
        args.set(ValueLayout.JAVA_LONG, 0, records);
        args.set(ValueLayout.JAVA_LONG, 8, type);
        bpf_test_run_opts.retval(opts, 0);
        int err = LibBpf.bpf_prog_test_run_opts(progFd, opts);
        int failed = bpf_test_run_opts.retval(opts);
        if (err != 0 || failed != 0) {
            throw new IllegalStateException("bench: fill failed: err=" + err + " failedReserves=" + failed
                    + " records=" + records + " ringBytes=" + ringBytes + " (ring not drained, or too small)");
        }
    }

    @Override
    public void close() {
        LibBpf.bpf_object__close(object);
        arena.close();
    }

    private static void check(int err, String what) throws IOException {
        if (err != 0) {
            throw new IOException("bench: libbpf: " + what + ": error " + err);
        }
    }
}
