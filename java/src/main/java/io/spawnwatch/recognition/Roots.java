package io.spawnwatch.recognition;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lineage roots the sensor knows of, and why each is one, for
 * {@code status} and {@code webservers list}. Bounded: at most
 * {@code capacity} roots, the oldest forgotten first (counted), since any
 * process that listens can ask to be one. A root is named by (pid, start
 * time); roots whose process is gone are dropped when listed.
 */
public final class Roots {
    /** One root: pid and CLOCK_BOOTTIME start (ns), comm, why, and when it became one (epoch ms). */
    public record Root(int pid, long startBootNanos, String name, String reason, long sinceEpochMillis) {}

    /** Whether the process (pid, start) still lives: {@link ProcessClock} in the sensor. */
    @FunctionalInterface
    public interface Liveness {
        boolean isAlive(int pid, long startBootNanos);
    }

    private final int capacity;
    private final Map<Long, Root> byKey = new LinkedHashMap<>();
    private long forgotten;

    public Roots(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity=" + capacity + ": expected at least 1");
        }
        this.capacity = capacity;
    }

    /** Records a root; a root already known keeps its first reason. */
    public synchronized void add(int pid, long startBootNanos, String name, String reason) {
        long key = key(pid, startBootNanos);
        if (byKey.containsKey(key)) {
            return;
        }
        if (byKey.size() >= capacity) {
            Iterator<Long> oldest = byKey.keySet().iterator();
            oldest.next();
            oldest.remove();
            forgotten++;
        }
        byKey.put(key, new Root(pid, startBootNanos, name, reason, System.currentTimeMillis()));
    }

    public synchronized boolean contains(int pid, long startBootNanos) {
        return byKey.containsKey(key(pid, startBootNanos));
    }

    /**
     * The roots whose process still lives (same pid, same start time at
     * /proc's tick resolution); the others are dropped.
     */
    public synchronized List<Root> alive(Liveness clock) {
        List<Root> out = new ArrayList<>();
        for (Iterator<Root> it = byKey.values().iterator(); it.hasNext();) {
            Root r = it.next();
            if (clock.isAlive(r.pid(), r.startBootNanos())) {
                out.add(r);
            } else {
                it.remove();
            }
        }
        return out;
    }

    /** Roots dropped because the registry was full. */
    public synchronized long forgotten() {
        return forgotten;
    }

    private static long key(int pid, long startBootNanos) {
        // pid in the low 32 bits, the start in ticks above: unique per process instance.
        return (ProcessClock.ticks(startBootNanos) << 32) ^ Integer.toUnsignedLong(pid);
    }
}
