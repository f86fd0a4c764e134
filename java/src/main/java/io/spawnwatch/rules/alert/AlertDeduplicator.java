package io.spawnwatch.rules.alert;

import io.spawnwatch.rules.baseline.Key;
import io.spawnwatch.rules.baseline.LruKeyIndex;
import java.util.Arrays;

/**
 * Suppresses repeats of one alert key (rule id + key fields) within a window
 * of event time, counting them. The window is fixed from the alert that
 * opened it, so a steady stream still alerts once per window, and that alert
 * carries how many repeats were held back since the previous one.
 *
 * <p>Memory only (a restart forgets open windows and their counts, at worst
 * one extra alert per key), bounded by {@code maxKeys}, least recently used
 * evicted and counted: an evicted key alerts again on its next match. Keys in
 * an {@link LruKeyIndex}, each window's start and count in primitive arrays
 * beside it: no object per key. Callers synchronise.
 */
public final class AlertDeduplicator {
    private final LruKeyIndex index;
    /** Per entry of the index: when its window opened (event time, ns) and the repeats held back since. */
    private long[] start;
    private long[] suppressed;

    public AlertDeduplicator(int maxKeys) {
        this.index = new LruKeyIndex(maxKeys);
        this.start = new long[index.entryLength()];
        this.suppressed = new long[index.entryLength()];
    }

    /**
     * @return -1 when this is a repeat inside an open window (suppressed and
     *     counted); otherwise the number of repeats suppressed since the
     *     previous alert of this key, and a new window opens at {@code now}
     */
    public long admit(Key key, long nowNanos, long windowNanos) {
        return admit(key.hi(), key.lo(), nowNanos, windowNanos);
    }

    /** As {@link #admit(Key, long, long)}, with the key as its two halves: allocates nothing. */
    public long admit(long hi, long lo, long nowNanos, long windowNanos) {
        int e = index.find(hi, lo);
        long repeats = 0;
        if (e != LruKeyIndex.MISSING) {
            index.touch(e);
            if (nowNanos - start[e] < windowNanos) { // an out-of-order event counts as inside
                suppressed[e]++;
                return -1;
            }
            repeats = suppressed[e];
        } else {
            e = index.insert(hi, lo);
            if (index.entryLength() > start.length) {
                start = Arrays.copyOf(start, index.entryLength());
                suppressed = Arrays.copyOf(suppressed, index.entryLength());
            }
        }
        start[e] = nowNanos;
        suppressed[e] = 0;
        return repeats;
    }

    public int size() {
        return index.size();
    }

    public long evictions() {
        return index.evictions();
    }
}
