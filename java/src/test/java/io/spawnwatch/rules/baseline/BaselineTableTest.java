package io.spawnwatch.rules.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineTableTest {
    private static final long MINUTE = 60_000_000_000L;
    private static final long WINDOW_61M = 61 * MINUTE;
    private static final long DAY = 24 * 60 * MINUTE;
    private static final Key K = new Key(1, 2);

    @TempDir
    Path dir;

    @Test
    void shouldCountSightingsInsideTheWindowIncludingThisOne() {
        BaselineTable t = new BaselineTable("r", 100, List.of());
        assertEquals(1, t.observeRarity(K, 0, 5, WINDOW_61M));
        assertEquals(2, t.observeRarity(K, 10 * MINUTE, 5, WINDOW_61M));
        assertEquals(3, t.observeRarity(K, 20 * MINUTE, 5, WINDOW_61M));
        assertEquals(4, t.observeRarity(K, 30 * MINUTE, 5, WINDOW_61M));
        assertEquals(5, t.observeRarity(K, 40 * MINUTE, 5, WINDOW_61M));
        assertEquals(5, t.observeRarity(K, 50 * MINUTE, 5, WINDOW_61M));
        // at 71m the sightings at 0m and 10m have left the 61m window: 20,30,40,50,71
        assertEquals(5, t.observeRarity(K, 71 * MINUTE, 5, WINDOW_61M));
        // at 150m only 150 (and nothing since 89m) is inside
        assertEquals(1, t.observeRarity(K, 150 * MINUTE, 5, WINDOW_61M));
    }

    @Test
    void shouldSayNewOnlyWhenUnseenForTheWholeWindow() {
        BaselineTable t = new BaselineTable("n", 100, List.of());
        assertTrue(t.observeNewTerm(K, 0, 7 * DAY));
        assertFalse(t.observeNewTerm(K, DAY, 7 * DAY));
        assertFalse(t.observeNewTerm(K, 7 * DAY, 7 * DAY)); // last seen at day 1
        assertTrue(t.observeNewTerm(K, 15 * DAY, 7 * DAY)); // unseen since day 7
        assertFalse(t.observeNewTerm(K, 15 * DAY + 1, 7 * DAY));
    }

    @Test
    void shouldKeepItsBoundUnderAFloodOfUniqueKeysAndCountEvictions() throws Exception {
        try (Baselines b = Baselines.open(dir.resolve("b.db"), 10_000, Duration.ofHours(1))) {
            BaselineTable t = b.table("flood");
            for (int i = 0; i < 150_000; i++) {
                t.observeNewTerm(new Key(i, ~i), i, 7 * DAY);
                b.afterChange(t);
            }
            assertEquals(10_000, t.size());
            assertEquals(140_000, t.evictions());
            b.flush();
            assertEquals(10_000, b.storedRows("flood"));
            // the newest keys are the ones kept
            assertFalse(t.observeNewTerm(new Key(149_999, ~149_999), 150_000, 7 * DAY));
            assertTrue(t.observeNewTerm(new Key(0, ~0), 150_001, 7 * DAY));
        }
    }

    @Test
    void shouldStayBoundedInMemoryOnlyModeToo() throws Exception {
        try (Baselines b = Baselines.open(null, 1_000, Duration.ofSeconds(1))) {
            BaselineTable t = b.table("mem");
            for (int i = 0; i < 50_000; i++) {
                t.observeRarity(new Key(i, i), i, 5, WINDOW_61M);
                b.afterChange(t);
            }
            assertEquals(1_000, t.size());
            assertEquals(49_000, t.evictions());
            assertTrue(t.pending() <= 2_001, "pending=" + t.pending());
            assertEquals("(memory only)", b.storeStats().path());
        }
    }

    @Test
    void shouldReloadTheNewestEntriesUpToTheBoundAfterARestart() throws Exception {
        Path db = dir.resolve("restart.db");
        try (Baselines b = Baselines.open(db, 100, Duration.ofHours(1))) {
            BaselineTable t = b.table("r");
            for (int i = 0; i < 4; i++) {
                t.observeRarity(K, i * MINUTE, 5, WINDOW_61M);
            }
        } // close() commits
        try (Baselines b = Baselines.open(db, 100, Duration.ofHours(1))) {
            assertEquals(5, b.table("r").observeRarity(K, 5 * MINUTE, 5, WINDOW_61M));
        }
        try (Baselines b = Baselines.open(db, 1, Duration.ofHours(1))) {
            assertEquals(1, b.table("r").size());
        }
    }

    /**
     * Sightings of keys already in the table, and of new keys that evict old
     * ones, allocate nothing: the table is primitive arrays (measured with the
     * JVM's per-thread allocation counter after a warm-up).
     */
    @Test
    void shouldAllocateNothingPerSightingOnceWarm() {
        BaselineTable rarity = new BaselineTable("r", 1_000, List.of());
        BaselineTable newTerms = new BaselineTable("n", 1_000, List.of());
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Runnable work = new Runnable() {
            long now;

            @Override
            public void run() {
                for (int i = 0; i < 200_000; i++) {
                    now++;
                    long k = now % 3_000; // three times the bound: every third sighting evicts
                    rarity.observeRarity(k, ~k, now, 5, WINDOW_61M);
                    newTerms.observeNewTerm(k, k * 31, now, 7 * DAY);
                }
            }
        };
        for (int i = 0; i < 5; i++) {
            work.run();
        }
        rarity.drain(); // the pending deletes are bounded and were grown while warming up
        newTerms.drain();
        work.run();
        rarity.drain();
        newTerms.drain();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, allocated, "bytes allocated by 400,000 sightings");
        assertEquals(1_000, rarity.size());
        assertTrue(rarity.evictions() > 1_000_000, "evictions=" + rarity.evictions());
    }

    @Test
    void shouldCommitEveryChangeWhenTheFlushIntervalIsZero() throws Exception {
        try (Baselines b = Baselines.open(dir.resolve("z.db"), 100, Duration.ZERO)) {
            BaselineTable t = b.table("z");
            t.observeNewTerm(K, 0, DAY);
            b.afterChange(t);
            assertEquals(1, b.storedRows("z"));
        }
    }

    @Test
    void shouldWriteBehindOnTheFlushThread() throws Exception {
        try (Baselines b = Baselines.open(dir.resolve("w.db"), 100, Duration.ofMillis(20))) {
            BaselineTable t = b.table("w");
            t.observeNewTerm(K, 0, DAY);
            b.afterChange(t);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (b.storedRows("w") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, b.storedRows("w"));
        }
    }
}
