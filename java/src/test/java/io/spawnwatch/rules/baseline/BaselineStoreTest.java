package io.spawnwatch.rules.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineStoreTest {
    @TempDir
    Path dir;

    @Test
    void shouldKeepItsKeySeedAcrossReopens() throws Exception {
        Path db = dir.resolve("seed.db");
        long seed;
        try (BaselineStore s = BaselineStore.open(db)) {
            seed = s.keySeed();
        }
        try (BaselineStore s = BaselineStore.open(db)) {
            assertEquals(seed, s.keySeed());
        }
        try (BaselineStore other = BaselineStore.open(dir.resolve("other.db"))) {
            assertNotEquals(seed, other.keySeed()); // 2^-64 to fail by chance
        }
    }

    @Test
    void shouldBeReadableByItsOwnerOnly() throws Exception {
        Path fresh = dir.resolve("fresh.db");
        try (BaselineStore s = BaselineStore.open(fresh)) {
            s.write(List.of(new BaselineStore.Batch("t", List.of(new BaselineStore.Row(1, 2, 3, new long[] {3, 3})),
                    List.of(), Long.MIN_VALUE)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("fresh.db-wal"))));
        }
        Path old = dir.resolve("old.db");
        Files.createFile(old, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try (BaselineStore s = BaselineStore.open(old)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(old)));
        }
    }

    /**
     * Rows of a store without a seed are SHA-256 keys, which no value hashes to
     * any more: they are deleted, not kept stale; the schema version stays 1 so
     * an older sensor still opens the file.
     */
    @Test
    void shouldDropTheRowsOfAStoreWithoutASeedAndKeepItsSchemaVersion() throws Exception {
        Path db = dir.resolve("v1.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE baseline (tracker TEXT NOT NULL, hi INTEGER NOT NULL, lo INTEGER NOT NULL,"
                    + " last_seen INTEGER NOT NULL, times BLOB NOT NULL, PRIMARY KEY (tracker, hi, lo))");
            s.execute("INSERT INTO baseline VALUES ('t', 1, 2, 3, x'00')");
            s.execute("PRAGMA user_version=1");
        }
        try (BaselineStore s = BaselineStore.open(db)) {
            assertEquals(0, s.count("t"));
            s.write(List.of(new BaselineStore.Batch("t", List.of(new BaselineStore.Row(1, 2, 3, new long[] {3, 3})),
                    List.of(), Long.MIN_VALUE)));
        }
        try (BaselineStore s = BaselineStore.open(db)) {
            assertEquals(1, s.count("t")); // rows written under the seed stay
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA user_version")) {
            r.next();
            assertEquals(1, r.getInt(1));
        }
    }
}
