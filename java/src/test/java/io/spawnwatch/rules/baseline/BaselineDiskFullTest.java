package io.spawnwatch.rules.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.control.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under detection.state_path: SQLite answers SQLITE_FULL (made
 * here with max_page_count, which SQLite reports exactly as a full disk).
 */
class BaselineDiskFullTest {
    @TempDir
    Path dir;

    @Test
    void shouldSayDiskFullWithThePathCountItKeepTheChangesAndRecover() throws Exception {
        Path db = dir.resolve("baselines.db");
        try (LogCapture log = LogCapture.of("spawnwatch.rules.baseline");
                Baselines b = Baselines.open(db, 100_000, Duration.ofHours(1))) {
            BaselineTable t = b.table("rule/new_terms/CommandLine");
            b.flush();
            long pages = pagesNow(db);
            b.maxPageCount(pages);
            for (int i = 0; i < 5_000; i++) {
                t.observeNewTerm(new Key(i, i), i, Long.MAX_VALUE / 2);
            }
            b.afterChange(t); // under the flood threshold: nothing written yet
            invokeFlushQuietly(b);
            invokeFlushQuietly(b);
            Baselines.StoreStats s = b.storeStats();
            assertTrue(s.failing());
            assertEquals(2, s.diskFullFailures());
            assertTrue(s.lastError().startsWith("disk full: cannot write " + db), s.lastError());
            assertEquals(1, log.count("disk full"), "logged once per outage, not per attempt: " + log.lines());
            assertFalse(log.text().contains("no transaction is active"), log.text());

            b.maxPageCount(1_000_000); // space returns
            invokeFlushQuietly(b);
            s = b.storeStats();
            assertFalse(s.failing(), s.lastError() + " " + log.lines());
            assertEquals(5_000, b.storedRows("rule/new_terms/CommandLine"), "nothing was lost while the disk was full");
            assertEquals(1, log.count("writing again"));
        }
    }

    @Test
    void shouldStopWithOneLineNotAStackTraceWhenTheDiskIsFullAtClose() throws Exception {
        Path db = dir.resolve("baselines.db");
        try (LogCapture log = LogCapture.of("spawnwatch.rules.baseline")) {
            Baselines b = Baselines.open(db, 100_000, Duration.ofHours(1));
            BaselineTable t = b.table("r/new_terms/x");
            b.flush();
            b.maxPageCount(pagesNow(db));
            for (int i = 0; i < 5_000; i++) {
                t.observeNewTerm(new Key(i, i), i, Long.MAX_VALUE / 2);
            }
            b.close(); // must not throw
            assertEquals(1, log.count("were not written at stop"), log.text());
        }
    }

    private static long pagesNow(Path db) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                var r = c.createStatement().executeQuery("PRAGMA page_count")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void invokeFlushQuietly(Baselines b) throws Exception {
        var m = Baselines.class.getDeclaredMethod("flushQuietly");
        m.setAccessible(true);
        m.invoke(b);
    }
}
