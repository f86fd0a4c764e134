package io.spawnwatch.enrich;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
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
    private static final MethodHandle CLOCK_GETTIME = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().findOrThrow("clock_gettime"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    private volatile long offsetNanos;

    public BootClock() {
        recalibrate();
    }

    public void recalibrate() {
        long real = now(CLOCK_REALTIME);
        long boot = now(CLOCK_BOOTTIME);
        offsetNanos = real - boot;
    }

    /** Nanoseconds since the epoch for a CLOCK_BOOTTIME reading. */
    public long toEpochNanos(long bootNanos) {
        return bootNanos + offsetNanos;
    }

    /** The current CLOCK_BOOTTIME, to measure kernel-to-user latency. */
    public static long bootNanosNow() {
        return now(CLOCK_BOOTTIME);
    }

    private static long now(int clock) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ts = arena.allocate(16, 8);
            int rc = (int) CLOCK_GETTIME.invokeExact(clock, ts);
            if (rc != 0) {
                throw new IllegalStateException("clock_gettime(" + clock + ") failed");
            }
            return ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }
}
