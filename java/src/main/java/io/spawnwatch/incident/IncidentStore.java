package io.spawnwatch.incident;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Incidents and their documents in SQLite (sqlite-jdbc, WAL), so that they
 * survive a restart. The directory is created (or tightened to) mode 0700 and
 * the file created 0600 before SQLite opens it; SQLite gives its -wal and -shm
 * files the database file's mode. Incidents hold command lines, which may
 * carry secrets.
 *
 * <p>Written by the incident sink's writer thread, in transactions that
 * {@link #commit} ends; read by control-socket threads. Every method is
 * synchronized: one connection, one user at a time.
 */
public final class IncidentStore implements AutoCloseable {
    private static final int SCHEMA = 1;
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    /** One incident's stored counters; the sink keeps them up to date in memory. */
    record Row(long id, RootKey root, String rootName, String rootExecutable, long firstNs, long lastNs,
            long firstAlertNs, long lastAlertNs, int severity, long processes, long alerts, long connections,
            long documents, long documentsDropped, long bytes) {}

    /** An incident with its documents, oldest first, as stored (one JSON object each, no newline). */
    public record Detail(IncidentSummary summary, List<String> documents) {}

    private final Connection db;
    private final String where;
    /** The writer's statements, prepared once: a flood of alerts is a flood of these. */
    private final PreparedStatement insertDocument;
    private final PreparedStatement updateIncident;

    private IncidentStore(Connection db, String where) throws SQLException {
        this.db = db;
        this.where = where;
        this.insertDocument = db.prepareStatement(
                "INSERT INTO document (incident_id, seq, alert, member, ts_ns, pid, line) VALUES (?,?,?,?,?,?,?)");
        this.updateIncident = db.prepareStatement("UPDATE incident SET root_name = ?, root_executable = ?,"
                + " first_ns = ?, last_ns = ?, first_alert_ns = ?, last_alert_ns = ?, severity = ?, processes = ?,"
                + " alerts = ?, connections = ?, documents = ?, documents_dropped = ?, bytes = ? WHERE id = ?");
    }

    /**
     * Opens (creating when needed) the store at {@code path}; null keeps it in
     * memory only.
     *
     * @throws IOException naming the file when it cannot be created or opened
     */
    public static IncidentStore open(Path path) throws IOException {
        String url = "jdbc:sqlite::memory:";
        if (path != null) {
            Path file = path.toAbsolutePath();
            secureDirectory(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
            } else {
                Files.setPosixFilePermissions(file, FILE_MODE);
            }
            url = "jdbc:sqlite:" + file;
        }
        try {
            Connection c = DriverManager.getConnection(url);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=5000");
                int version;
                try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
                    version = r.next() ? r.getInt(1) : 0;
                }
                if (version > SCHEMA) {
                    throw new SQLException("schema version " + version + " is newer than this sensor's " + SCHEMA);
                }
                s.execute("CREATE TABLE IF NOT EXISTS incident (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " root_pid INTEGER NOT NULL, root_start_ns INTEGER NOT NULL, root_name TEXT,"
                        + " root_executable TEXT, first_ns INTEGER NOT NULL, last_ns INTEGER NOT NULL,"
                        + " first_alert_ns INTEGER NOT NULL, last_alert_ns INTEGER NOT NULL,"
                        + " severity INTEGER NOT NULL, processes INTEGER NOT NULL, alerts INTEGER NOT NULL,"
                        + " connections INTEGER NOT NULL, documents INTEGER NOT NULL,"
                        + " documents_dropped INTEGER NOT NULL, bytes INTEGER NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS incident_last ON incident (last_alert_ns)");
                s.execute("CREATE TABLE IF NOT EXISTS document (incident_id INTEGER NOT NULL,"
                        + " seq INTEGER NOT NULL, alert INTEGER NOT NULL, member INTEGER NOT NULL,"
                        + " ts_ns INTEGER NOT NULL,"
                        + " pid INTEGER NOT NULL, line TEXT NOT NULL, PRIMARY KEY (incident_id, seq))");
                s.execute("PRAGMA user_version=" + SCHEMA);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            c.setAutoCommit(false);
            return new IncidentStore(c, path == null ? ":memory:" : path.toString());
        } catch (SQLException e) {
            throw new IOException("incident store " + (path == null ? ":memory:" : path) + ": " + e.getMessage(), e);
        }
    }

    private static void secureDirectory(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            Path parent = dir.getParent();
            if (parent != null) {
                io.spawnwatch.files.PrivateFiles.createDirectories(parent, -1); // 0700
            }
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        }
        // createDirectory's mode is filtered by the umask; say it exactly.
        Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
    }

    /** Where it lives, for messages. */
    public String where() {
        return where;
    }

    /** A new incident; its counters are written by {@link #update}. Returns its id. */
    synchronized long create(RootKey root, String rootName, String rootExecutable, long firstNs)
            throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO incident (root_pid, root_start_ns, root_name,"
                + " root_executable, first_ns, last_ns, first_alert_ns, last_alert_ns, severity, processes, alerts,"
                + " connections, documents, documents_dropped, bytes) VALUES (?,?,?,?,?,?,?,?,0,0,0,0,0,0,0)",
                Statement.RETURN_GENERATED_KEYS)) {
            p.setInt(1, root.pid());
            p.setLong(2, root.startBootNs());
            p.setString(3, rootName);
            p.setString(4, rootExecutable);
            p.setLong(5, firstNs);
            p.setLong(6, firstNs);
            p.setLong(7, firstNs);
            p.setLong(8, firstNs);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * Adds one document to an incident ({@code seq} orders them within it);
     * {@code member}: its process is one of the incident's (not an ancestor
     * shown for context), which a restart needs to know.
     */
    synchronized void append(long incident, long seq, boolean alert, boolean member, long tsNs, int pid,
            byte[] line) throws SQLException {
        PreparedStatement p = insertDocument;
        p.setLong(1, incident);
        p.setLong(2, seq);
        p.setInt(3, alert ? 1 : 0);
        p.setInt(4, member ? 1 : 0);
        p.setLong(5, tsNs);
        p.setInt(6, pid);
        int end = line.length > 0 && line[line.length - 1] == '\n' ? line.length - 1 : line.length;
        p.setString(7, new String(line, 0, end, StandardCharsets.UTF_8));
        p.executeUpdate();
    }

    /** Writes an incident's counters. */
    synchronized void update(Row r) throws SQLException {
        PreparedStatement p = updateIncident;
        p.setString(1, r.rootName());
        p.setString(2, r.rootExecutable());
        p.setLong(3, r.firstNs());
        p.setLong(4, r.lastNs());
        p.setLong(5, r.firstAlertNs());
        p.setLong(6, r.lastAlertNs());
        p.setInt(7, r.severity());
        p.setLong(8, r.processes());
        p.setLong(9, r.alerts());
        p.setLong(10, r.connections());
        p.setLong(11, r.documents());
        p.setLong(12, r.documentsDropped());
        p.setLong(13, r.bytes());
        p.setLong(14, r.id());
        p.executeUpdate();
    }

    synchronized void commit() throws SQLException {
        db.commit();
    }

    /** Deletes one incident and its documents (retention). */
    synchronized void delete(long id) throws SQLException {
        try (PreparedStatement d = db.prepareStatement("DELETE FROM document WHERE incident_id = ?");
                PreparedStatement i = db.prepareStatement("DELETE FROM incident WHERE id = ?")) {
            d.setLong(1, id);
            d.executeUpdate();
            i.setLong(1, id);
            i.executeUpdate();
        }
    }

    /** The incident with the oldest last alert (what size and count retention delete first), or null. */
    synchronized Row oldest() throws SQLException {
        List<Row> rows = rows("SELECT * FROM incident ORDER BY last_alert_ns, id LIMIT 1", 0);
        return rows.isEmpty() ? null : rows.getFirst();
    }

    /** Every incident's counters, oldest last alert first: what retention walks. */
    synchronized List<Row> rows() throws SQLException {
        return rows("SELECT * FROM incident ORDER BY last_alert_ns, id", 0);
    }

    /** Pids with a document in an incident; {@code membersOnly}: of its own processes, not their ancestors. */
    synchronized Set<Integer> pids(long id, boolean membersOnly) throws SQLException {
        Set<Integer> pids = new HashSet<>();
        try (PreparedStatement q = db.prepareStatement("SELECT DISTINCT pid FROM document WHERE incident_id = ?"
                + (membersOnly ? " AND member = 1" : ""))) {
            q.setLong(1, id);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    pids.add(r.getInt(1));
                }
            }
        }
        return pids;
    }

    /** The next sequence number of an incident's documents. */
    synchronized long nextSeq(long id) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(
                "SELECT COALESCE(MAX(seq), -1) + 1 FROM document WHERE incident_id = ?")) {
            q.setLong(1, id);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    /**
     * Incidents whose last document is at or after {@code sinceNs} (epoch ns;
     * 0 for all), oldest first.
     */
    public synchronized List<IncidentSummary> list(long sinceNs) throws IOException {
        try {
            List<IncidentSummary> out = new ArrayList<>();
            for (Row r : rows("SELECT * FROM incident WHERE last_ns >= ? ORDER BY first_ns, id", sinceNs)) {
                out.add(summary(r));
            }
            return out;
        } catch (SQLException e) {
            throw new IOException("incident store " + where + ": cannot list incidents: " + e.getMessage(), e);
        }
    }

    /** One incident with its documents in the order they came; null when there is none with this id. */
    public synchronized Detail show(long id) throws IOException {
        try {
            List<Row> rows = rows("SELECT * FROM incident WHERE id = ?", id);
            if (rows.isEmpty()) {
                return null;
            }
            List<String> docs = new ArrayList<>();
            try (PreparedStatement q = db.prepareStatement(
                    "SELECT line FROM document WHERE incident_id = ? ORDER BY seq")) {
                q.setLong(1, id);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        docs.add(r.getString(1));
                    }
                }
            }
            return new Detail(summary(rows.getFirst()), docs);
        } catch (SQLException e) {
            throw new IOException("incident store " + where + ": cannot read incident " + id + ": " + e.getMessage(),
                    e);
        }
    }

    private List<Row> rows(String sql, long arg) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement(sql)) {
            if (sql.contains("?")) {
                q.setLong(1, arg);
            }
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(new Row(r.getLong("id"), new RootKey(r.getInt("root_pid"), r.getLong("root_start_ns")),
                            r.getString("root_name"), r.getString("root_executable"), r.getLong("first_ns"),
                            r.getLong("last_ns"), r.getLong("first_alert_ns"), r.getLong("last_alert_ns"),
                            r.getInt("severity"), r.getLong("processes"), r.getLong("alerts"),
                            r.getLong("connections"), r.getLong("documents"), r.getLong("documents_dropped"),
                            r.getLong("bytes")));
                }
            }
        }
        return out;
    }

    static IncidentSummary summary(Row r) {
        return new IncidentSummary(r.id(), r.root().pid(), r.root().startBootNs(), r.rootName(), r.rootExecutable(),
                IncidentSummary.iso(r.firstNs()), IncidentSummary.iso(r.lastNs()),
                IncidentSummary.iso(r.firstAlertNs()), IncidentSummary.iso(r.lastAlertNs()), r.severity(),
                IncidentSummary.level(r.severity()), r.processes(), r.alerts(), r.connections(), r.documents(),
                r.documentsDropped(), r.bytes());
    }

    @Override
    public synchronized void close() {
        try {
            insertDocument.close();
            updateIncident.close();
            db.commit();
            db.close();
        } catch (SQLException e) {
            // Closing: what was committed is on disk; nothing else to do.
        }
    }
}
