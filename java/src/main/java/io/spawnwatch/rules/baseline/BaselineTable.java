package io.spawnwatch.rules.baseline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rule's baseline in memory: at most {@code capacity} keys, least recently
 * seen evicted first. An evicted key is forgotten in memory and on disk, so
 * it will look rare or new again: under a flood of unique command lines the
 * baseline fails towards alerting, never towards silence, and the heap stays
 * bounded. Evictions are counted for the stats API.
 *
 * <p>Entries keep timestamps only:
 * <ul>
 *   <li>rarity: the {@code threshold} most recent sightings, enough to know
 *       whether there were {@code threshold} of them inside the window;</li>
 *   <li>new terms: first and last sighting.</li>
 * </ul>
 * Changes are collected for the store (write-behind) and taken by
 * {@link #drain}; see {@link Baselines} for when they are written.
 */
public final class BaselineTable {
    private final String name;
    private final int capacity;
    private final Map<Key, long[]> entries;
    private final Map<Key, long[]> dirty = new HashMap<>();
    private final Set<Key> deleted = new HashSet<>();
    private long evictions;
    private long newest = Long.MIN_VALUE;
    private long retentionNanos = Long.MAX_VALUE;

    BaselineTable(String name, int capacity, List<BaselineStore.Row> newestFirst) {
        this.name = name;
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, long[]> eldest) {
                if (size() <= BaselineTable.this.capacity) {
                    return false;
                }
                evictions++;
                dirty.remove(eldest.getKey());
                deleted.add(eldest.getKey());
                return true;
            }
        };
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            BaselineStore.Row r = newestFirst.get(i);
            entries.put(new Key(r.hi(), r.lo()), r.times());
            newest = Math.max(newest, r.lastSeen());
        }
    }

    public String name() {
        return name;
    }

    /**
     * Records a sighting and returns how many sightings of the key (this one
     * included) fall inside the window, counting at most {@code threshold}.
     */
    public synchronized int observeRarity(Key key, long nowNanos, int threshold, long windowNanos) {
        retentionNanos = windowNanos;
        long[] times = entries.get(key);
        if (times == null || times.length != threshold) {
            long[] fresh = new long[threshold];
            Arrays.fill(fresh, Long.MIN_VALUE);
            if (times != null) {
                long[] sorted = times.clone();
                Arrays.sort(sorted);
                for (int i = 0; i < Math.min(threshold, sorted.length); i++) {
                    fresh[i] = sorted[sorted.length - 1 - i];
                }
            }
            times = fresh;
        }
        int oldest = 0;
        for (int i = 1; i < times.length; i++) {
            if (times[i] < times[oldest]) {
                oldest = i;
            }
        }
        if (nowNanos > times[oldest]) {
            times[oldest] = nowNanos; // keep the threshold most recent sightings
        }
        put(key, times, nowNanos);
        long since = nowNanos - windowNanos;
        int count = 0;
        for (long t : times) {
            if (t != Long.MIN_VALUE && t > since) {
                count++;
            }
        }
        return count;
    }

    /**
     * Records a sighting; true when the key was not seen within the window
     * before it (never, or only longer ago than the window).
     */
    public synchronized boolean observeNewTerm(Key key, long nowNanos, long windowNanos) {
        retentionNanos = windowNanos;
        long[] times = entries.get(key);
        boolean isNew = times == null || times.length != 2 || times[1] <= nowNanos - windowNanos;
        if (times == null || times.length != 2) {
            times = new long[] {nowNanos, nowNanos};
        } else {
            times[1] = Math.max(times[1], nowNanos);
        }
        put(key, times, nowNanos);
        return isNew;
    }

    private void put(Key key, long[] times, long now) {
        newest = Math.max(newest, now);
        entries.put(key, times);
        deleted.remove(key);
        dirty.put(key, times);
    }

    /** Changes since the last drain, as a batch for the store; clears them. */
    synchronized BaselineStore.Batch drain() {
        List<BaselineStore.Row> rows = new ArrayList<>(dirty.size());
        for (Map.Entry<Key, long[]> e : dirty.entrySet()) {
            long[] t = e.getValue().clone();
            rows.add(new BaselineStore.Row(e.getKey().hi(), e.getKey().lo(), lastSeen(t), t));
        }
        List<Key> deletes = new ArrayList<>(deleted);
        dirty.clear();
        deleted.clear();
        long prune = (retentionNanos == Long.MAX_VALUE || newest == Long.MIN_VALUE)
                ? Long.MIN_VALUE : newest - retentionNanos;
        return new BaselineStore.Batch(name, rows, deletes, prune);
    }

    /** Puts a batch that failed to write back, unless newer changes superseded it. */
    synchronized void requeue(BaselineStore.Batch batch) {
        for (BaselineStore.Row r : batch.upserts()) {
            Key k = new Key(r.hi(), r.lo());
            long[] current = entries.get(k);
            if (current != null) {
                dirty.putIfAbsent(k, current);
            }
        }
        for (Key k : batch.deletes()) {
            if (!entries.containsKey(k)) {
                deleted.add(k);
            }
        }
    }

    /** Changes waiting for the store. */
    synchronized int pending() {
        return dirty.size() + deleted.size();
    }

    public synchronized int size() {
        return entries.size();
    }

    public int capacity() {
        return capacity;
    }

    public synchronized long evictions() {
        return evictions;
    }

    private static long lastSeen(long[] times) {
        long m = Long.MIN_VALUE;
        for (long t : times) {
            m = Math.max(m, t);
        }
        return m;
    }
}
