package io.spawnwatch.rules.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with SIGKILL in the middle of writing loses nothing it had committed. */
class BaselineStoreCrashTest {
    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryCommittedBatchWhenTheWriterIsKilledMidWrite() throws Exception {
        Path db = dir.resolve("crash.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED", CrashWriter.class.getName(), db.toString())
                .redirectErrorStream(true).start();
        long lastCommitted = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    lastCommitted = Long.parseLong(line.substring("committed ".length()));
                    if (lastCommitted >= 40) {
                        p.destroyForcibly(); // SIGKILL while the next batch is being written
                        break;
                    }
                }
            }
        }
        p.waitFor();
        assertEquals(true, lastCommitted >= 40, "writer never got going");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                r.next();
                assertEquals("ok", r.getString(1));
            }
            try (ResultSet r = s.executeQuery("SELECT count(*), max(hi) FROM baseline WHERE tracker = 'crash'")) {
                r.next();
                long rows = r.getLong(1);
                long maxBatch = r.getLong(2);
                assertTrue(maxBatch >= lastCommitted, "lost committed batch: max=" + maxBatch + " committed="
                        + lastCommitted);
                assertEquals(maxBatch * 500, rows, "a batch was half written");
            }
        }
        try (BaselineStore reopened = BaselineStore.open(db)) {
            List<BaselineStore.Row> newest = reopened.load("crash", 1);
            assertTrue(newest.getFirst().lastSeen() >= lastCommitted);
        }
    }
}
