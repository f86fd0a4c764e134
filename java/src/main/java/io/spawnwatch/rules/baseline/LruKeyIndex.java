package io.spawnwatch.rules.baseline;

import java.util.Arrays;

/**
 * A bounded set of 128-bit keys in least-recently-used order, in primitive
 * arrays: each key gets an entry number in {@code [0, capacity)} that its
 * owner uses as the index of its own parallel arrays (timestamps, counts).
 * No object per key, so there is nothing for the young collector to copy or
 * promote however many keys an attacker makes (a {@code LinkedHashMap<Key, ?>}
 * holds three objects per key).
 *
 * <p>Layout: open addressing with linear probing over an {@code int[]} of
 * slots (entry + 1, 0 when free), at most half full, and deletion by
 * backward shift (Knuth 6.4, algorithm R), so there are no tombstones; the
 * key's low 64 bits pick the slot (they are a hash already). The LRU order
 * is a doubly linked list through {@code int[]} links. Arrays grow by
 * doubling up to the capacity, so a small table costs little.
 *
 * <p>Not thread-safe; callers synchronise.
 */
public final class LruKeyIndex {
    /** Returned by {@link #find} for a key that is not in the index. */
    public static final int MISSING = -1;
    private static final int NONE = -1;
    private static final int INITIAL_ENTRIES = 256;

    private final int capacity;
    private long[] his;
    private long[] los;
    private int[] older;
    private int[] newer;
    private int[] slots;
    private int slotMask;
    private int size;
    private int oldest = NONE;
    private int newest = NONE;
    private long evictions;
    private boolean evicted;
    private long evictedHi;
    private long evictedLo;

    /** @param capacity the most keys held at once, at least 1 */
    public LruKeyIndex(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("key index: capacity must be at least 1: capacity=" + capacity);
        }
        this.capacity = capacity;
        allocate(Math.min(capacity, INITIAL_ENTRIES));
    }

    /** The entry of a key, or {@link #MISSING}; does not change the LRU order. */
    public int find(long hi, long lo) {
        final int[] s = slots;
        final int mask = slotMask;
        for (int i = spread(lo) & mask; ; i = (i + 1) & mask) {
            int e = s[i] - 1;
            if (e < 0) {
                return MISSING;
            }
            if (los[e] == lo && his[e] == hi) {
                return e;
            }
        }
    }

    /** Marks an entry most recently used. */
    public void touch(int entry) {
        if (entry != newest) {
            unlink(entry);
            linkNewest(entry);
        }
    }

    /**
     * Adds a key that is not in the index and returns its entry, most recently
     * used. When the index is full, the least recently used key is evicted
     * first and its entry reused: {@link #lastInsertEvicted()} then says so and
     * {@link #evictedHi()}/{@link #evictedLo()} name it.
     */
    public int insert(long hi, long lo) {
        evicted = false;
        int e;
        if (size == capacity) {
            e = oldest;
            evictedHi = his[e];
            evictedLo = los[e];
            evicted = true;
            evictions++;
            removeSlot(e);
            unlink(e);
            size--;
        } else {
            if (size == his.length) {
                grow();
            }
            e = size;
        }
        his[e] = hi;
        los[e] = lo;
        putSlot(e);
        linkNewest(e);
        size++;
        return e;
    }

    /** Whether the last {@link #insert} evicted a key. */
    public boolean lastInsertEvicted() {
        return evicted;
    }

    public long evictedHi() {
        return evictedHi;
    }

    public long evictedLo() {
        return evictedLo;
    }

    public long hi(int entry) {
        return his[entry];
    }

    public long lo(int entry) {
        return los[entry];
    }

    /** Keys held now. */
    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** The length the owner's parallel arrays need now: entries are numbered below it. */
    public int entryLength() {
        return his.length;
    }

    /** Keys evicted since the index was made. */
    public long evictions() {
        return evictions;
    }

    /** Entries from least to most recently used (tests and diagnostics; allocates). */
    public int[] entriesOldestFirst() {
        int[] out = new int[size];
        int k = 0;
        for (int e = oldest; e != NONE; e = newer[e]) {
            out[k++] = e;
        }
        return out;
    }

    /** Fibonacci hashing of the low bits: keys are hashes, but tests use small numbers. */
    private static int spread(long lo) {
        return (int) ((lo * 0x9E3779B97F4A7C15L) >>> 32);
    }

    private void putSlot(int e) {
        int i = spread(los[e]) & slotMask;
        while (slots[i] != 0) {
            i = (i + 1) & slotMask;
        }
        slots[i] = e + 1;
    }

    /** Removes the slot of entry {@code e} and shifts later members of its cluster back. */
    private void removeSlot(int e) {
        final int[] s = slots;
        final int mask = slotMask;
        int i = spread(los[e]) & mask;
        while (s[i] != e + 1) {
            i = (i + 1) & mask;
        }
        int hole = i;
        for (int j = (hole + 1) & mask; s[j] != 0; j = (j + 1) & mask) {
            int home = spread(los[s[j] - 1]) & mask;
            // Move j into the hole unless its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (!stays) {
                s[hole] = s[j];
                hole = j;
            }
        }
        s[hole] = 0;
    }

    private void linkNewest(int e) {
        older[e] = newest;
        newer[e] = NONE;
        if (newest != NONE) {
            newer[newest] = e;
        } else {
            oldest = e;
        }
        newest = e;
    }

    private void unlink(int e) {
        int o = older[e];
        int n = newer[e];
        if (o != NONE) {
            newer[o] = n;
        } else {
            oldest = n;
        }
        if (n != NONE) {
            older[n] = o;
        } else {
            newest = o;
        }
    }

    private void allocate(int entries) {
        his = new long[entries];
        los = new long[entries];
        older = new int[entries];
        newer = new int[entries];
        slots = new int[Integer.highestOneBit(entries * 2 - 1) << 1];
        slotMask = slots.length - 1;
    }

    private void grow() {
        int entries = (int) Math.min(capacity, 2L * his.length);
        his = Arrays.copyOf(his, entries);
        los = Arrays.copyOf(los, entries);
        older = Arrays.copyOf(older, entries);
        newer = Arrays.copyOf(newer, entries);
        slots = new int[Integer.highestOneBit(entries * 2 - 1) << 1];
        slotMask = slots.length - 1;
        for (int e = 0; e < size; e++) {
            putSlot(e);
        }
    }
}
