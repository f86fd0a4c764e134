package io.spawnwatch.rules.baseline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
 *
 * <p>Memory: keys in an {@link LruKeyIndex}, timestamps in one {@code long[]}
 * of {@code width} slots per entry, a dirty flag per entry: no object per
 * key, so a flood of new keys gives the collector nothing to copy. Keys
 * evicted since the last drain are kept (16 bytes each) for the store to
 * delete; at most {@code 2 * capacity} of them while the store keeps failing,
 * beyond which the oldest are dropped and counted (harmless: a reopened
 * store keeps only the newest {@code capacity} rows of a table anyway).
 */
public final class BaselineTable {
    private static final long EMPTY = Long.MIN_VALUE;

    private final String name;
    private final int capacity;
    private final LruKeyIndex index;
    /** Sightings per entry: {@code width} slots from {@code entry * width}, EMPTY where unused. */
    private long[] times;
    private int width;
    private boolean[] dirty;
    private int dirtyCount;
    /** Evicted keys waiting for the store: hi, lo pairs. */
    private long[] deletes = new long[32];
    private int deleteHead;
    private int deleteCount;
    private long deletesDropped;
    private long newest = Long.MIN_VALUE;
    private long retentionNanos = Long.MAX_VALUE;

    BaselineTable(String name, int capacity, List<BaselineStore.Row> newestFirst) {
        this.name = name;
        this.capacity = capacity;
        this.index = new LruKeyIndex(capacity);
        this.width = newestFirst.isEmpty() ? 0 : newestFirst.getFirst().times().length;
        this.times = new long[index.entryLength() * width];
        this.dirty = new boolean[index.entryLength()];
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            BaselineStore.Row r = newestFirst.get(i);
            int e = entryFor(r.hi(), r.lo());
            long[] sorted = r.times().clone();
            Arrays.sort(sorted);
            int base = e * width;
            for (int k = 0; k < width; k++) {
                times[base + k] = k < sorted.length ? sorted[sorted.length - 1 - k] : EMPTY;
            }
            dirty[e] = false; // loaded, not changed
            dirtyCount--;
            newest = Math.max(newest, r.lastSeen());
        }
        deleteCount = 0; // a bound lowered since the last run: the store trimmed it on load
    }

    public String name() {
        return name;
    }

    /**
     * Records a sighting and returns how many sightings of the key (this one
     * included) fall inside the window, counting at most {@code threshold}.
     */
    public synchronized int observeRarity(Key key, long nowNanos, int threshold, long windowNanos) {
        return observeRarity(key.hi(), key.lo(), nowNanos, threshold, windowNanos);
    }

    /** As {@link #observeRarity(Key, long, int, long)}, with the key as its two halves: allocates nothing. */
    public synchronized int observeRarity(long hi, long lo, long nowNanos, int threshold, long windowNanos) {
        retentionNanos = windowNanos;
        reshape(threshold);
        int e = entryFor(hi, lo);
        final long[] t = times;
        final int base = e * width;
        int oldest = base;
        for (int i = base + 1; i < base + width; i++) {
            if (t[i] < t[oldest]) {
                oldest = i;
            }
        }
        if (nowNanos > t[oldest]) {
            t[oldest] = nowNanos; // keep the threshold most recent sightings
        }
        changed(nowNanos);
        long since = nowNanos - windowNanos;
        int count = 0;
        for (int i = base; i < base + width; i++) {
            if (t[i] != EMPTY && t[i] > since) {
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
        return observeNewTerm(key.hi(), key.lo(), nowNanos, windowNanos);
    }

    /** As {@link #observeNewTerm(Key, long, long)}, with the key as its two halves: allocates nothing. */
    public synchronized boolean observeNewTerm(long hi, long lo, long nowNanos, long windowNanos) {
        retentionNanos = windowNanos;
        reshape(2);
        int known = index.find(hi, lo);
        int e = entryFor(hi, lo);
        final long[] t = times;
        final int first = e * 2;
        boolean isNew = known == LruKeyIndex.MISSING || t[first + 1] == EMPTY
                || t[first + 1] <= nowNanos - windowNanos;
        if (t[first] == EMPTY) {
            t[first] = nowNanos;
            t[first + 1] = nowNanos;
        } else {
            t[first] = Math.min(t[first], nowNanos);
            t[first + 1] = Math.max(t[first + 1], nowNanos);
        }
        changed(nowNanos);
        return isNew;
    }

    /**
     * The entry of a key, most recently used now, inserted (with empty
     * sightings) when new, and marked dirty.
     */
    private int entryFor(long hi, long lo) {
        int e = index.find(hi, lo);
        if (e != LruKeyIndex.MISSING) {
            index.touch(e);
        } else {
            e = index.insert(hi, lo);
            if (index.lastInsertEvicted()) {
                if (dirty[e]) {
                    dirty[e] = false;
                    dirtyCount--;
                }
                addDelete(index.evictedHi(), index.evictedLo());
            }
            if (index.entryLength() > dirty.length) {
                dirty = Arrays.copyOf(dirty, index.entryLength());
                times = Arrays.copyOf(times, index.entryLength() * width);
            }
            Arrays.fill(times, e * width, e * width + width, EMPTY);
        }
        if (!dirty[e]) {
            dirty[e] = true;
            dirtyCount++;
        }
        return e;
    }

    private void changed(long now) {
        newest = Math.max(newest, now);
    }

    /**
     * Changes the slots per entry (the rule's threshold changed with a reload, or
     * the first sighting of a table loaded empty), keeping each entry's most
     * recent sightings.
     */
    private void reshape(int newWidth) {
        if (newWidth == width) {
            return;
        }
        long[] next = new long[index.entryLength() * newWidth];
        Arrays.fill(next, EMPTY);
        long[] one = new long[width];
        for (int e = 0; e < index.size(); e++) {
            System.arraycopy(times, e * width, one, 0, width);
            Arrays.sort(one);
            for (int k = 0; k < Math.min(width, newWidth); k++) {
                next[e * newWidth + k] = one[width - 1 - k];
            }
        }
        times = next;
        width = newWidth;
    }

    /** Queues an evicted key for deletion from the store: a ring of hi, lo pairs, oldest dropped when full. */
    private void addDelete(long hi, long lo) {
        final int bound = 2 * capacity;
        if (deleteCount == bound) {
            deleteHead = (deleteHead + 1) % (deletes.length / 2); // the store has failed for long: drop the oldest
            deleteCount--;
            deletesDropped++;
        }
        if (2 * bound > deletes.length && 2 * deleteCount + 2 > deletes.length) {
            long[] grown = new long[Math.min(2 * bound, deletes.length * 2)];
            for (int i = 0; i < deleteCount; i++) {
                int at = (deleteHead + i) % (deletes.length / 2);
                grown[2 * i] = deletes[2 * at];
                grown[2 * i + 1] = deletes[2 * at + 1];
            }
            deletes = grown;
            deleteHead = 0;
        }
        int at = (deleteHead + deleteCount) % (deletes.length / 2);
        deletes[2 * at] = hi;
        deletes[2 * at + 1] = lo;
        deleteCount++;
    }

    /** Changes since the last drain, as a batch for the store; clears them. */
    synchronized BaselineStore.Batch drain() {
        List<BaselineStore.Row> rows = new ArrayList<>(dirtyCount);
        for (int e = 0; e < index.size() && rows.size() < dirtyCount; e++) {
            if (dirty[e]) {
                dirty[e] = false;
                long[] t = Arrays.copyOfRange(times, e * width, e * width + width);
                rows.add(new BaselineStore.Row(index.hi(e), index.lo(e), lastSeen(t), t));
            }
        }
        dirtyCount = 0;
        List<Key> keys = new ArrayList<>(deleteCount);
        for (int i = 0; i < deleteCount; i++) {
            int at = (deleteHead + i) % (deletes.length / 2);
            keys.add(new Key(deletes[2 * at], deletes[2 * at + 1]));
        }
        deleteCount = 0;
        deleteHead = 0;
        long prune = (retentionNanos == Long.MAX_VALUE || newest == Long.MIN_VALUE)
                ? Long.MIN_VALUE : newest - retentionNanos;
        return new BaselineStore.Batch(name, rows, keys, prune);
    }

    /** Puts a batch that failed to write back, unless newer changes superseded it. */
    synchronized void requeue(BaselineStore.Batch batch) {
        for (BaselineStore.Row r : batch.upserts()) {
            int e = index.find(r.hi(), r.lo());
            if (e != LruKeyIndex.MISSING && !dirty[e]) {
                dirty[e] = true;
                dirtyCount++;
            }
        }
        for (Key k : batch.deletes()) {
            if (index.find(k.hi(), k.lo()) == LruKeyIndex.MISSING) {
                addDelete(k.hi(), k.lo());
            }
        }
    }

    /** Changes waiting for the store. */
    synchronized int pending() {
        return dirtyCount + deleteCount;
    }

    public synchronized int size() {
        return index.size();
    }

    public int capacity() {
        return capacity;
    }

    public synchronized long evictions() {
        return index.evictions();
    }

    /** Pending deletes dropped because the store kept failing (see the class comment). */
    public synchronized long deletesDropped() {
        return deletesDropped;
    }

    private static long lastSeen(long[] times) {
        long m = Long.MIN_VALUE;
        for (long t : times) {
            m = Math.max(m, t);
        }
        return m;
    }
}
