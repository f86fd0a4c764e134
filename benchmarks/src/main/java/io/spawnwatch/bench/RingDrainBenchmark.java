package io.spawnwatch.bench;

import io.spawnwatch.event.RecordDescriptor;
import io.spawnwatch.ring.RingBuffer;
import io.spawnwatch.ring.RingPoller;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Benchmark 1 of issue 5: drain a ring buffer that the kernel filled with
 * {@value #RECORDS} records of the real layout, with (a) the sensor's mmap
 * reader and (b) libbpf's ring_buffer__consume calling back into Java; the C
 * baseline (c) is native/bench/ring_drain.c, run by benchmarks/run.sh with the
 * same protocol.
 *
 * <p>Protocol: each iteration is one drain of a full ring (SingleShotTime), and
 * the ring is refilled from the kernel before each iteration (Level.Iteration
 * setup: BPF_PROG_TEST_RUN of native/bench/ringfill.bpf.o, a few ms, not
 * measured). Scores are per record ({@link OperationsPerInvocation}); with
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per record.
 *
 * <p>The {@code *Raw} methods read one word per record: the cost of the reader
 * alone, the baseline beside the decoder.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(RingDrainBenchmark.RECORDS)
@Warmup(iterations = 40, batchSize = 1)
@Measurement(iterations = 100, batchSize = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class RingDrainBenchmark {
    /** Records per fill: 20,000 exec records (3,240 bytes each in the ring) use 65 MB of the 64 MiB (67 MB) ring. */
    static final int RECORDS = 20_000;
    static final long RING_BYTES = 64L << 20;

    /** exec: 3,232-byte records (the real exec record); connect: 184-byte records. */
    @Param({"exec", "connect"})
    public String record;

    private int type;
    private RingFill fill;
    private RingBuffer ring;
    private LibBpfConsumer upcallDecode;
    private LibBpfConsumer upcallRaw;
    private LibBpfConsumer jextractDecode;
    private final DrainHandlers.Decode decode = new DrainHandlers.Decode();
    private final DrainHandlers.Raw raw = new DrainHandlers.Raw();
    private final DrainHandlers.Count count = new DrainHandlers.Count();
    private long recordsBefore;

    @Setup(Level.Trial)
    public void openRing() throws Exception {
        type = switch (record) {
            case "exec" -> RecordDescriptor.TYPE_EXEC;
            case "connect" -> RecordDescriptor.TYPE_CONNECT;
            default -> throw new IllegalArgumentException("record=" + record + ": expected exec or connect");
        };
        fill = new RingFill(RING_BYTES);
        ring = RingBuffer.map(fill.mapFd(), RING_BYTES);
        upcallDecode = new LibBpfConsumer(fill.mapFd(), decode, LibBpfConsumer.Shape.ADDRESS_AS_LONG);
        upcallRaw = new LibBpfConsumer(fill.mapFd(), raw, LibBpfConsumer.Shape.ADDRESS_AS_LONG);
        jextractDecode = new LibBpfConsumer(fill.mapFd(), decode, LibBpfConsumer.Shape.JEXTRACT);
    }

    @Setup(Level.Iteration)
    public void fillRing() {
        if (ring.consumerPosition() != ring.producerPosition()) {
            throw new IllegalStateException("bench: ring not drained before the fill: consumer="
                    + ring.consumerPosition() + " producer=" + ring.producerPosition());
        }
        fill.fill(RECORDS, type);
        recordsBefore = decode.records + raw.records + count.records;
    }

    @TearDown(Level.Iteration)
    public void checkDrained() {
        long handled = decode.records + raw.records + count.records - recordsBefore;
        if (handled != RECORDS || ring.consumerPosition() != ring.producerPosition()) {
            throw new IllegalStateException("bench: drained " + handled + " records, expected " + RECORDS
                    + "; consumer=" + ring.consumerPosition() + " producer=" + ring.producerPosition());
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        jextractDecode.close();
        upcallRaw.close();
        upcallDecode.close();
        ring.close();
        fill.close();
    }

    /** (a) The sensor's reader as RingPoller drives it: polls of 256 until a short batch. */
    @Benchmark
    public int javaMmapDecode(Blackhole bh) {
        decode.bh = bh;
        return drain(ring, decode);
    }

    @Benchmark
    public int javaMmapRaw(Blackhole bh) {
        raw.bh = bh;
        return drain(ring, raw);
    }

    /** The reader loop alone (the handler reads nothing): what RingBuffer.poll itself costs per record. */
    @Benchmark
    public int javaMmapCountOnly() {
        return drain(ring, count);
    }

    /** (b) libbpf's ring_buffer__consume, one Java upcall per record (address passed as a long). */
    @Benchmark
    public int libbpfUpcallDecode(Blackhole bh) {
        decode.bh = bh;
        return upcallDecode.consume();
    }

    @Benchmark
    public int libbpfUpcallRaw(Blackhole bh) {
        raw.bh = bh;
        return upcallRaw.consume();
    }

    /** (b') The same with the jextract-generated callback type: a MemorySegment per record. */
    @Benchmark
    public int libbpfUpcallJextractDecode(Blackhole bh) {
        decode.bh = bh;
        return jextractDecode.consume();
    }

    private static int drain(RingBuffer ring, io.spawnwatch.ring.RecordHandler handler) {
        int total = 0;
        int n;
        do {
            n = ring.poll(handler, RingPoller.DEFAULT_BATCH_LIMIT);
            total += n;
        } while (n == RingPoller.DEFAULT_BATCH_LIMIT);
        return total;
    }
}
