package io.spawnwatch.rules.alert;

import io.spawnwatch.rules.baseline.Key;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Suppresses repeats of one alert key (rule id + key fields) within a window
 * of event time, counting them. The window is fixed from the alert that
 * opened it, so a steady stream still alerts once per window, and that alert
 * carries how many repeats were held back since the previous one.
 *
 * <p>Memory only (a restart forgets open windows and their counts, at worst
 * one extra alert per key), bounded by {@code maxKeys}, least recently used
 * evicted and counted: an evicted key alerts again on its next match.
 * Callers synchronise.
 */
public final class AlertDeduplicator {
    private static final class Window {
        long start;
        long suppressed;
    }

    private final int maxKeys;
    private final Map<Key, Window> windows;
    private long evictions;

    public AlertDeduplicator(int maxKeys) {
        this.maxKeys = maxKeys;
        this.windows = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Window> eldest) {
                if (size() > AlertDeduplicator.this.maxKeys) {
                    evictions++;
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * @return -1 when this is a repeat inside an open window (suppressed and
     *     counted); otherwise the number of repeats suppressed since the
     *     previous alert of this key, and a new window opens at {@code now}
     */
    public long admit(Key key, long nowNanos, long windowNanos) {
        Window w = windows.get(key);
        if (w != null && nowNanos - w.start < windowNanos) { // an out-of-order event counts as inside
            w.suppressed++;
            return -1;
        }
        long repeats = w == null ? 0 : w.suppressed;
        if (w == null) {
            w = new Window();
            windows.put(key, w);
        }
        w.start = nowNanos;
        w.suppressed = 0;
        return repeats;
    }

    public int size() {
        return windows.size();
    }

    public long evictions() {
        return evictions;
    }
}
