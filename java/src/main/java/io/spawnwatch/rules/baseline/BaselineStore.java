package io.spawnwatch.rules.baseline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded store that lets baselines survive a restart: SQLite through
 * sqlite-jdbc, in WAL mode. Every {@link #write} is one transaction, so a
 * kill -9 in the middle of it leaves the previous commit intact and loses
 * nothing that was committed (WAL with synchronous=NORMAL: committed data
 * survives a process crash; a power cut may lose the last commits, never
 * corrupt the file).
 *
 * <p>Rows hold a 128-bit key, the last time seen and the entry's timestamps;
 * never the attacker-controlled strings themselves. The keys are XXH3-128
 * under a secret seed kept in the store ({@link #keySeed}; see
 * {@link KeyHasher}), so the file is made readable by its owner only.
 *
 * <p>Keys were SHA-256 until the seed came; those cannot be converted without
 * the values they stand for, so opening a store without a seed deletes its
 * rows (logged with their number) before making one: every baseline learns
 * again, once. The schema version stays 1 (a table was added, none changed),
 * so an older sensor still opens the file; the rows it adds are keys no
 * value hashes to here, which age out like any unseen key.
 */
public final class BaselineStore implements AutoCloseable {
    /** One baseline entry as stored. */
    public record Row(long hi, long lo, long lastSeen, long[] times) {}

    /** What one table changed since the last write. */
    public record Batch(String tracker, List<Row> upserts, List<Key> deletes, long pruneBefore) {}

    private static final System.Logger LOG = System.getLogger("spawnwatch.rules.baseline");
    private static final int SCHEMA = 1;

    private final Connection db;
    private final String path;
    private final long keySeed;

    private BaselineStore(Connection db, String path, long keySeed) {
        this.db = db;
        this.path = path;
        this.keySeed = keySeed;
    }

    /** Opens (creating when needed) the store at {@code path}; null means memory only. */
    public static BaselineStore open(Path path) throws SQLException {
        String url;
        if (path == null) {
            url = "jdbc:sqlite::memory:";
        } else {
            try {
                Path parent = path.toAbsolutePath().getParent();
                if (parent != null) {
                    io.spawnwatch.files.PrivateFiles.createDirectories(parent, -1); // 0700: it holds command lines
                }
                ownerOnly(path);
            } catch (java.io.IOException e) {
                throw new SQLException("baseline store: cannot create directory for " + path + ": " + e.getMessage(), e);
            }
            url = "jdbc:sqlite:" + path.toAbsolutePath();
        }
        Connection c = DriverManager.getConnection(url);
        long seed;
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=5000");
            int version;
            try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
                version = r.next() ? r.getInt(1) : 0;
            }
            if (version > SCHEMA) {
                throw new SQLException("baseline store " + path + " has schema version " + version
                        + ", newer than this sensor's " + SCHEMA);
            }
            s.execute("CREATE TABLE IF NOT EXISTS baseline ("
                    + " tracker TEXT NOT NULL, hi INTEGER NOT NULL, lo INTEGER NOT NULL,"
                    + " last_seen INTEGER NOT NULL, times BLOB NOT NULL,"
                    + " PRIMARY KEY (tracker, hi, lo))");
            s.execute("CREATE INDEX IF NOT EXISTS baseline_age ON baseline (tracker, last_seen)");
            s.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            seed = keySeed(s, path);
            s.execute("PRAGMA user_version=" + SCHEMA);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        c.setAutoCommit(false);
        return new BaselineStore(c, path == null ? ":memory:" : path.toString(), seed);
    }

    /**
     * The store's key seed, made from SecureRandom the first time; the rows of
     * a store without one have SHA-256 keys and are deleted (class comment).
     */
    private static long keySeed(Statement s, Path path) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT value FROM meta WHERE name = 'key_seed'")) {
            if (r.next()) {
                return r.getLong(1);
            }
        }
        int dropped = s.executeUpdate("DELETE FROM baseline");
        if (dropped > 0) {
            LOG.log(System.Logger.Level.WARNING, "baseline store " + path + ": " + dropped + " rows keyed with"
                    + " SHA-256 deleted: keys are XXH3-128 under a seed now and cannot be converted; baselines"
                    + " learn again");
        }
        long seed = new SecureRandom().nextLong();
        s.execute("INSERT INTO meta (name, value) VALUES ('key_seed', " + seed + ")");
        return seed;
    }

    /**
     * Creates the file 0600, or makes an existing one so: it holds the key seed.
     * SQLite gives its -wal and -shm files the database file's mode.
     */
    private static void ownerOnly(Path path) throws java.io.IOException {
        var mode = PosixFilePermissions.fromString("rw-------");
        if (Files.exists(path)) {
            Files.setPosixFilePermissions(path, mode);
        } else {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(mode));
        }
    }

    /** The secret seed of the keys in this store (see {@link KeyHasher}). */
    public long keySeed() {
        return keySeed;
    }

    /**
     * The {@code limit} most recently seen rows of a tracker, newest first.
     * Rows beyond the limit (the bound was lowered) are deleted.
     */
    public synchronized List<Row> load(String tracker, int limit) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement(
                "SELECT hi, lo, last_seen, times FROM baseline WHERE tracker = ? ORDER BY last_seen DESC LIMIT ?")) {
            q.setString(1, tracker);
            q.setInt(2, limit);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(r.getLong(1), r.getLong(2), r.getLong(3), decode(r.getBytes(4))));
                }
            }
        }
        if (rows.size() == limit) {
            try (PreparedStatement d = db.prepareStatement(
                    "DELETE FROM baseline WHERE tracker = ? AND (hi, lo) NOT IN"
                            + " (SELECT hi, lo FROM baseline WHERE tracker = ? ORDER BY last_seen DESC LIMIT ?)")) {
                d.setString(1, tracker);
                d.setString(2, tracker);
                d.setInt(3, limit);
                d.executeUpdate();
            }
        }
        db.commit();
        return rows;
    }

    /** Applies every batch in one transaction. */
    public synchronized void write(List<Batch> batches) throws SQLException {
        try (PreparedStatement up = db.prepareStatement(
                "INSERT INTO baseline (tracker, hi, lo, last_seen, times) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (tracker, hi, lo) DO UPDATE SET last_seen = excluded.last_seen,"
                        + " times = excluded.times");
                PreparedStatement del = db.prepareStatement(
                        "DELETE FROM baseline WHERE tracker = ? AND hi = ? AND lo = ?");
                PreparedStatement prune = db.prepareStatement(
                        "DELETE FROM baseline WHERE tracker = ? AND last_seen < ?")) {
            for (Batch b : batches) {
                for (Key k : b.deletes()) {
                    del.setString(1, b.tracker());
                    del.setLong(2, k.hi());
                    del.setLong(3, k.lo());
                    del.addBatch();
                }
                for (Row r : b.upserts()) {
                    up.setString(1, b.tracker());
                    up.setLong(2, r.hi());
                    up.setLong(3, r.lo());
                    up.setLong(4, r.lastSeen());
                    up.setBytes(5, encode(r.times()));
                    up.addBatch();
                }
                if (b.pruneBefore() != Long.MIN_VALUE) {
                    prune.setString(1, b.tracker());
                    prune.setLong(2, b.pruneBefore());
                    prune.addBatch();
                }
            }
            del.executeBatch();
            up.executeBatch();
            prune.executeBatch();
            db.commit();
        } catch (SQLException e) {
            // On SQLITE_FULL SQLite has already rolled the transaction back, and
            // rollback() then fails with "no transaction is active". The driver
            // still believes a transaction is open, so open one (BEGIN) to agree
            // with it: otherwise every later commit fails the same way, even once
            // space returns. The error thrown is the real cause.
            try {
                db.rollback();
            } catch (SQLException again) {
                try (Statement begin = db.createStatement()) {
                    begin.execute("BEGIN");
                } catch (SQLException ignored) {
                    e.addSuppressed(ignored);
                }
            }
            throw e;
        }
    }

    /** Caps the database at {@code pages} pages: tests make SQLite report a full disk with it. */
    synchronized void maxPageCount(long pages) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("PRAGMA max_page_count=" + pages); // per connection, outside any transaction
        }
    }

    /** Rows of a tracker on disk (tests and stats). */
    public synchronized long count(String tracker) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("SELECT count(*) FROM baseline WHERE tracker = ?")) {
            q.setString(1, tracker);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                long n = r.getLong(1);
                db.commit();
                return n;
            }
        }
    }

    public String path() {
        return path;
    }

    @Override
    public synchronized void close() throws SQLException {
        db.close();
    }

    static byte[] encode(long[] times) {
        byte[] b = new byte[times.length * 8];
        for (int i = 0; i < times.length; i++) {
            long v = times[i];
            for (int j = 0; j < 8; j++) {
                b[i * 8 + j] = (byte) (v >>> (56 - 8 * j));
            }
        }
        return b;
    }

    static long[] decode(byte[] b) {
        long[] t = new long[b.length / 8];
        for (int i = 0; i < t.length; i++) {
            long v = 0;
            for (int j = 0; j < 8; j++) {
                v = (v << 8) | (b[i * 8 + j] & 0xff);
            }
            t[i] = v;
        }
        return t;
    }
}
