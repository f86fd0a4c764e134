package io.spawnwatch.rules.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LruKeyIndexTest {
    @Test
    void shouldFindWhatItHoldsAndNothingElse() {
        LruKeyIndex index = new LruKeyIndex(10);
        int a = index.insert(1, 2);
        int b = index.insert(3, 4);
        assertEquals(a, index.find(1, 2));
        assertEquals(b, index.find(3, 4));
        assertEquals(LruKeyIndex.MISSING, index.find(1, 4));
        assertEquals(LruKeyIndex.MISSING, index.find(2, 2));
        assertEquals(2, index.size());
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedKeyAndSayWhich() {
        LruKeyIndex index = new LruKeyIndex(3);
        index.insert(0, 10);
        index.insert(0, 11);
        index.insert(0, 12);
        index.touch(index.find(0, 10)); // 11 is now the oldest
        int e = index.insert(0, 13);
        assertTrue(index.lastInsertEvicted());
        assertEquals(0, index.evictedHi());
        assertEquals(11, index.evictedLo());
        assertEquals(LruKeyIndex.MISSING, index.find(0, 11));
        assertEquals(e, index.find(0, 13));
        assertEquals(3, index.size());
        assertEquals(1, index.evictions());
        index.insert(0, 14);
        assertEquals(12, index.evictedLo());
    }

    @Test
    void shouldRefuseANonPositiveCapacity() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LruKeyIndex(0));
        assertEquals("key index: capacity must be at least 1: capacity=0", e.getMessage());
    }

    /**
     * Random inserts and look-ups of keys that crowd few slots (many share
     * their low bits' home), checked step by step against LinkedHashMap in
     * access order: the same keys, the same evictions, the same LRU order.
     * This exercises growth and backward-shift deletion across wrapped clusters.
     */
    @Test
    void shouldBehaveLikeAnAccessOrderedLinkedHashMapUnderRandomOperations() {
        for (int capacity : new int[] {1, 2, 7, 300, 1000}) {
            LruKeyIndex index = new LruKeyIndex(capacity);
            Map<Long, Long> reference = new LinkedHashMap<>(16, 0.75f, true);
            long referenceEvictions = 0;
            SplittableRandom random = new SplittableRandom(capacity);
            for (int step = 0; step < 50_000; step++) {
                long lo = random.nextInt(3 * capacity + 5);
                long hi = lo % 3; // keys differ in hi only too
                long key = lo * 4 + hi;
                int e = index.find(hi, lo);
                boolean held = reference.containsKey(key);
                assertEquals(held, e != LruKeyIndex.MISSING, "step " + step);
                if (held) {
                    reference.get(key);
                    index.touch(e);
                    assertEquals(hi, index.hi(e));
                    assertEquals(lo, index.lo(e));
                } else {
                    index.insert(hi, lo);
                    reference.put(key, key);
                    if (reference.size() > capacity) {
                        long eldest = reference.keySet().iterator().next();
                        reference.remove(eldest);
                        referenceEvictions++;
                        assertTrue(index.lastInsertEvicted());
                        assertEquals(eldest / 4, index.evictedLo());
                        assertEquals(eldest % 4, index.evictedHi());
                    } else {
                        assertFalse(index.lastInsertEvicted());
                    }
                }
                assertEquals(reference.size(), index.size());
            }
            assertEquals(referenceEvictions, index.evictions());
            long[] expected = reference.keySet().stream().mapToLong(Long::longValue).toArray();
            long[] actual = java.util.Arrays.stream(index.entriesOldestFirst())
                    .mapToLong(e -> index.lo(e) * 4 + index.hi(e)).toArray();
            assertArrayEquals(expected, actual, "LRU order, capacity " + capacity);
        }
    }
}
