package io.spawnwatch.recognition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process start times as /proc knows them. The kernel's records carry
 * task->start_boottime in CLOCK_BOOTTIME ns; /proc/PID/stat field 22
 * (starttime) is the same instant in USER_HZ ticks (100 a second on every
 * Linux ABI, include/asm-generic/param.h). A (pid, start) pair from a record
 * and from /proc name the same process when they agree at tick resolution.
 */
public final class ProcessClock implements Roots.Liveness {
    public static final long NANOS_PER_TICK = 10_000_000L;

    private final Path proc;

    public ProcessClock(Path proc) {
        this.proc = proc;
    }

    /** A start time in ns as /proc's ticks. */
    public static long ticks(long startBootNanos) {
        return startBootNanos / NANOS_PER_TICK;
    }

    /** The start of a live process in ns at tick resolution, or -1 when it is gone. */
    public long startBootNanos(int pid) {
        try {
            String stat = Files.readString(proc.resolve(Integer.toString(pid)).resolve("stat"));
            // The name (field 2) may hold spaces and parentheses: count from the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[22 - 3]) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** True when pid is alive and is the process that started at startBootNanos. */
    @Override
    public boolean isAlive(int pid, long startBootNanos) {
        long now = startBootNanos(pid);
        return now >= 0 && ticks(now) == ticks(startBootNanos);
    }
}
