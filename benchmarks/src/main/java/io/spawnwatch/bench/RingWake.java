package io.spawnwatch.bench;

import io.spawnwatch.event.RecordDescriptor;
import io.spawnwatch.ring.RecordHandler;
import io.spawnwatch.ring.RingBuffer;
import io.spawnwatch.ring.RingPoller;
import io.spawnwatch.sys.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The latency floor of benchmark 4 with the sensor's own reader: the protocol
 * of native/bench/ringwake.c (one exec-sized record committed RATE times a
 * second by ringfill.bpf.o from a producer thread; latency = CLOCK_BOOTTIME
 * when the handler runs minus the record's bpf_ktime_get_boot_ns()), with
 * {@link RingPoller} and {@link RingBuffer} instead of libbpf's
 * ring_buffer__poll. Beside the C figure from the same run it shows what the
 * JVM reader adds to the kernel's wake-up; the sensor's figure adds its
 * pipeline and output to this.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar io.spawnwatch.bench.RingWake RATE SECONDS</pre>
 *
 * Prints one JSON line: count and percentiles in microseconds (the first 10%
 * of records are the warm-up and left out, as ringwake.c does).
 */
public final class RingWake {
    private static final int CLOCK_BOOTTIME = 7;
    private static final long RING_BYTES = 8L << 20; // the sensor's default kernel.ring_buffer_bytes
    private static final MethodHandle CLOCK_GETTIME = LibC.downcall("clock_gettime", false,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    private RingWake() {}

    /** Records each record's latency into a preallocated array: no allocation on the reader thread. */
    private static final class Recorder implements RecordHandler {
        private final MemorySegment ts = Arena.global().allocate(16, 8);
        private final double[] micros;
        private volatile int count;

        Recorder(int capacity) {
            micros = new double[capacity];
        }

        @Override
        public void onRecord(MemorySegment data, long offset, int length) {
            long now = bootNanos(ts);
            long committed = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + RecordDescriptor.BOOT_NS_OFFSET);
            int n = count;
            if (n < micros.length) {
                micros[n] = (now - committed) / 1000.0;
                count = n + 1;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: RingWake RATE SECONDS");
            System.exit(2);
        }
        double rate = Double.parseDouble(args[0]);
        int total = (int) (rate * Double.parseDouble(args[1]));
        Recorder recorder = new Recorder(total);
        try (RingFill fill = new RingFill(RING_BYTES); RingBuffer ring = RingBuffer.map(fill.mapFd(), RING_BYTES)) {
            RingPoller poller = RingPoller.start(ring, recorder, e -> { throw e; });
            try {
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait);
                    }
                    fill.fill(1, RecordDescriptor.TYPE_EXEC);
                }
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (recorder.count < total && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            } finally {
                poller.close();
            }
        }
        int n = recorder.count;
        if (n < total) {
            throw new IllegalStateException("bench: the reader got " + n + " of " + total + " records");
        }
        int skip = n / 10;
        double[] v = Arrays.copyOfRange(recorder.micros, skip, n);
        Arrays.sort(v);
        int m = v.length;
        System.out.printf(Locale.ROOT, "{\"rate\":%.0f,\"count\":%d,\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,"
                + "\"p999_us\":%.1f,\"max_us\":%.1f}%n", rate, m, v[m / 2], v[(int) (m * 0.9)], v[(int) (m * 0.99)],
                v[(int) (m * 0.999)], v[m - 1]);
    }

    private static long bootNanos(MemorySegment ts) {
        try {
            int rc = (int) CLOCK_GETTIME.invokeExact(CLOCK_BOOTTIME, ts);
            if (rc != 0) {
                throw new IllegalStateException("clock_gettime(CLOCK_BOOTTIME) failed");
            }
            return ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }
}
