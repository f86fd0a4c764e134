package io.spawnwatch.enrich;

import io.spawnwatch.sys.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Turns the kernel's CLOCK_BOOTTIME timestamps (bpf_ktime_get_boot_ns) into
 * wall-clock time: the offset between CLOCK_REALTIME and CLOCK_BOOTTIME is
 * read at start and again on {@link #recalibrate()} (wall-clock steps).
 */
public final class BootClock {
    private static final int CLOCK_REALTIME = 0;
    private static final int CLOCK_BOOTTIME = 7;
    private static final MethodHandle CLOCK_GETTIME = LibC.downcall("clock_gettime", false,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    private volatile long offsetNanos;

    public BootClock() {
        recalibrate();
    }

    /**
     * Reads (boot, real, boot) many times and keeps the triple with the
     * smallest gap: a single pair of cold calls can be tens of microseconds
     * apart, which would shift every timestamp by that much.
     */
    public void recalibrate() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ts = arena.allocate(16, 8);
            long bestGap = Long.MAX_VALUE;
            long best = 0;
            for (int i = 0; i < 64; i++) {
                long b0 = now(CLOCK_BOOTTIME, ts);
                long r = now(CLOCK_REALTIME, ts);
                long b1 = now(CLOCK_BOOTTIME, ts);
                if (b1 - b0 < bestGap) {
                    bestGap = b1 - b0;
                    best = r - (b0 + (b1 - b0) / 2);
                }
            }
            offsetNanos = best;
        }
    }

    /** Nanoseconds since the epoch for a CLOCK_BOOTTIME reading. */
    public long toEpochNanos(long bootNanos) {
        return bootNanos + offsetNanos;
    }


    private static long now(int clock, MemorySegment ts) {
        try {
            int rc = (int) CLOCK_GETTIME.invokeExact(clock, ts);
            if (rc != 0) {
                throw new IllegalStateException("clock_gettime(" + clock + ") failed");
            }
            return ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }
}
