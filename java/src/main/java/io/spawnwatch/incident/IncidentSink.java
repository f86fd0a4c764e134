package io.spawnwatch.incident;

import io.spawnwatch.output.Document;
import io.spawnwatch.output.DocumentKind;
import io.spawnwatch.output.QueuedSink;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The incident store as an output sink: groups alerts into incidents and keeps
 * the events that tell their story, in {@link IncidentStore}.
 *
 * <h2>Grouping</h2>
 * An incident belongs to one web-server instance ({@link RootKey}: the
 * document's lineage root pid and start). An alert opens one when that root
 * has none open, or when its last alert is more than
 * {@code incidents.quiet_gap} old. The incident's <em>processes</em> are the
 * alerted ones and, from then on, their descendants (a document whose
 * process or parent process is one of them); their events are kept while
 * the incident is open. So a benign request served by the same web server
 * between two attack steps, whose process descends from no alerted process,
 * is not part of it. When an alert names a process not yet in the incident,
 * the root's recent events (a bounded ring per root, {@code
 * incidents.recent_documents}) of that process and of its ancestors, from
 * {@code incidents.before} before the alert, are taken in: the shell's own
 * exec, the worker that spawned it. Ancestors do not become processes of
 * the incident (the worker serves every request), they only show where the
 * tree hangs.
 *
 * <h2>Bounds</h2>
 * Every bound is counted when it bites ({@link #counters}): documents per
 * incident, incidents kept (count, bytes, age), roots followed, recent events.
 * All state lives on the writer thread; counters are read from others.
 */
public final class IncidentSink extends QueuedSink {
    public static final String NAME = "incidents";
    private static final System.Logger LOG = System.getLogger(IncidentSink.class.getName());
    private static final int COMMIT_EVERY = 512;
    private static final long AGE_CHECK_NANOS = 60_000_000_000L;

    private final IncidentConfig config;
    private final IncidentStore store;
    private final long quietGapNs;
    private final long beforeNs;
    private final Map<RootKey, Lineage> lineages = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<Long, Open> open = new HashMap<>();
    private final Set<Open> dirty = new LinkedHashSet<>();
    private int uncommitted;
    private long recentBytes;
    private long lastAgeCheck = System.nanoTime();

    private final AtomicLong incidents = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong deletedAge = new AtomicLong();
    private final AtomicLong deletedSize = new AtomicLong();
    private final AtomicLong documentsDropped = new AtomicLong();
    private final AtomicLong lineagesForgotten = new AtomicLong();
    private final AtomicLong recentOverwritten = new AtomicLong();

    /** A document remembered before it is known to belong to an incident. */
    private record Recent(Document document, DocumentFacts facts) {}

    /** What is known of one web-server instance. */
    private static final class Lineage {
        final ArrayDeque<Recent> recent = new ArrayDeque<>();
        Open open;
    }

    /** An incident still taking documents: its counters, mirrored to the store on commit. */
    private static final class Open {
        final long id;
        final RootKey root;
        final Set<Integer> members = new HashSet<>();
        final Set<Integer> pids = new HashSet<>();
        String rootName;
        String rootExecutable;
        long nextSeq;
        long firstNs = Long.MAX_VALUE;
        long lastNs = Long.MIN_VALUE;
        long firstAlertNs = Long.MAX_VALUE;
        long lastAlertNs = Long.MIN_VALUE;
        int severity;
        long alerts;
        long connections;
        long documents;
        long dropped;
        long bytes;

        Open(long id, RootKey root) {
            this.id = id;
            this.root = root;
        }

        IncidentStore.Row row() {
            return new IncidentStore.Row(id, root, rootName, rootExecutable, firstNs, lastNs, firstAlertNs,
                    lastAlertNs, severity, pids.size(), alerts, connections, documents, dropped, bytes);
        }
    }

    private IncidentSink(IncidentConfig config, IncidentStore store) throws SQLException {
        super(NAME, config.queue());
        this.config = config;
        this.store = store;
        this.quietGapNs = config.quietGap().toNanos();
        this.beforeNs = config.before().toNanos();
        restore();
    }

    /**
     * Opens the store named by {@code config.path()} (memory when null) and
     * takes up the incidents still within their quiet gap, so that alerts
     * after a restart join them.
     *
     * @throws IOException naming the file when the store cannot be opened
     */
    public static IncidentSink open(IncidentConfig config) throws IOException {
        IncidentStore store = IncidentStore.open(config.path() == null ? null : Path.of(config.path()));
        try {
            return new IncidentSink(config, store);
        } catch (SQLException | RuntimeException e) {
            store.close();
            throw new IOException("incident store " + store.where() + ": cannot read it back: " + e.getMessage(), e);
        }
    }

    /** The store, for the control socket's {@code incidents.*} commands. */
    public IncidentStore store() {
        return store;
    }

    @Override
    public boolean wants(DocumentKind kind) {
        return kind == DocumentKind.EVENT || kind == DocumentKind.ALERT;
    }

    /**
     * The sink's own counters, by name: incidents kept and their bytes, and
     * what each bound has cost (every drop is here).
     */
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("incidents", incidents.get());
        c.put("bytes", bytes.get());
        c.put("incidents_opened", opened.get());
        c.put("incidents_deleted_age", deletedAge.get());
        c.put("incidents_deleted_size", deletedSize.get());
        c.put("documents_dropped_incident_full", documentsDropped.get());
        c.put("lineages_forgotten", lineagesForgotten.get());
        c.put("recent_overwritten", recentOverwritten.get());
        return c;
    }

    @Override
    protected void write(Document d) throws IOException {
        DocumentFacts facts = DocumentFacts.parse(d.line());
        try {
            route(d, facts);
            if (++uncommitted >= COMMIT_EVERY) {
                commit();
            }
        } catch (SQLException e) {
            throw new IOException("incident store " + store.where() + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void flush() throws IOException {
        try {
            commit();
            if (System.nanoTime() - lastAgeCheck >= AGE_CHECK_NANOS) {
                lastAgeCheck = System.nanoTime();
                deleteExpired(System.currentTimeMillis() * 1_000_000L);
                commit();
            }
        } catch (SQLException e) {
            throw new IOException("incident store " + store.where() + ": " + e.getMessage(), e);
        }
    }

    /** Called once by {@link QueuedSink#close()}, after the queue drained into the store. */
    @Override
    protected void closeOutput() {
        try {
            commit();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, NAME + ": last commit failed: " + e.getMessage());
        }
        store.close();
    }

    private void route(Document d, DocumentFacts f) throws SQLException {
        RootKey key = new RootKey(d.rootPid(), d.rootStartBootNs());
        Lineage lineage = lineage(key);
        long ts = d.timestampNanos();
        Open o = lineage.open;
        if (o != null && ts - o.lastAlertNs > quietGapNs) {
            // Quiet for long enough: it is closed, and the next alert starts another.
            open.remove(o.id);
            o = lineage.open = null;
        }
        if (d.kind() == DocumentKind.ALERT) {
            if (o == null) {
                o = lineage.open = create(key);
            }
            if (!o.members.contains(f.pid())) {
                takeAncestry(lineage, o, f.pid(), ts);
            }
            add(o, d, f);
        } else if (o != null && (o.members.contains(f.pid()) || o.members.contains(f.parentPid()))) {
            add(o, d, f);
        } else {
            remember(lineage, new Recent(d, f));
        }
    }

    private Lineage lineage(RootKey key) {
        Lineage l = lineages.get(key);
        if (l == null) {
            if (lineages.size() >= config.lineages()) {
                Iterator<Map.Entry<RootKey, Lineage>> eldest = lineages.entrySet().iterator();
                Lineage gone = eldest.next().getValue();
                eldest.remove();
                forget(gone);
                lineagesForgotten.incrementAndGet();
            }
            l = new Lineage();
            lineages.put(key, l);
        }
        return l;
    }

    private void forget(Lineage gone) {
        for (Recent r : gone.recent) {
            recentBytes -= r.document().line().length;
        }
        gone.recent.clear();
        if (gone.open != null) {
            open.remove(gone.open.id);
        }
    }

    private void remember(Lineage lineage, Recent r) {
        if (config.recentDocuments() == 0) {
            recentOverwritten.incrementAndGet();
            return;
        }
        if (lineage.recent.size() >= config.recentDocuments()) {
            recentBytes -= lineage.recent.removeFirst().document().line().length;
            recentOverwritten.incrementAndGet();
        }
        lineage.recent.addLast(r);
        recentBytes += r.document().line().length;
        // Past the global budget the least recently active roots lose their oldest first.
        Iterator<Lineage> lru = lineages.values().iterator();
        while (recentBytes > config.recentBytes() && lru.hasNext()) {
            Lineage l = lru.next();
            while (recentBytes > config.recentBytes() && !l.recent.isEmpty()) {
                recentBytes -= l.recent.removeFirst().document().line().length;
                recentOverwritten.incrementAndGet();
            }
        }
    }

    /**
     * Takes in the recent events of {@code pid} and of its ancestors (by the
     * parent pids those events name), from {@code before} before the alert.
     */
    private void takeAncestry(Lineage lineage, Open o, int pid, long alertNs) throws SQLException {
        Map<Integer, Integer> parentOf = new HashMap<>();
        for (Recent r : lineage.recent) {
            parentOf.put(r.facts().pid(), r.facts().parentPid());
        }
        Set<Integer> line = new HashSet<>();
        for (Integer p = pid; p != null && p != 0 && line.add(p); p = parentOf.get(p)) {
            // walks up; a pid loop (reuse) stops at the first repeat
        }
        Iterator<Recent> it = lineage.recent.iterator();
        while (it.hasNext()) {
            Recent r = it.next();
            if (line.contains(r.facts().pid()) && r.document().timestampNanos() >= alertNs - beforeNs) {
                it.remove();
                recentBytes -= r.document().line().length;
                // Only the alerted process itself joins; its ancestors (the worker
                // serving every request) just show where the tree hangs.
                addDocument(o, r.document(), r.facts(), r.facts().pid() == pid);
            }
        }
    }

    /** Adds a document of one of the incident's processes; the process becomes (or stays) one. */
    private void add(Open o, Document d, DocumentFacts f) throws SQLException {
        if (addDocument(o, d, f, true)) {
            o.members.add(f.pid());
        }
    }

    private boolean addDocument(Open o, Document d, DocumentFacts f, boolean member) throws SQLException {
        boolean alert = d.kind() == DocumentKind.ALERT;
        long ts = d.timestampNanos();
        if (alert) {
            o.firstAlertNs = Math.min(o.firstAlertNs, ts);
            o.lastAlertNs = Math.max(o.lastAlertNs, ts);
        }
        dirty.add(o);
        if (o.documents >= config.maxDocumentsPerIncident()) {
            o.dropped++;
            documentsDropped.incrementAndGet();
            return false;
        }
        store.append(o.id, o.nextSeq++, alert, member, ts, f.pid(), d.line());
        int size = d.line().length;
        o.documents++;
        o.bytes += size;
        o.pids.add(f.pid());
        o.firstNs = Math.min(o.firstNs, ts);
        o.lastNs = Math.max(o.lastNs, ts);
        if (alert) {
            o.alerts++;
            o.severity = Math.max(o.severity, f.severity());
        } else if (f.network()) {
            o.connections++;
        }
        if (o.rootName == null && f.rootName() != null) {
            o.rootName = f.rootName();
            o.rootExecutable = f.rootExecutable();
        }
        if (bytes.addAndGet(size) > config.maxBytes()) {
            deleteOldest();
        }
        return true;
    }

    private Open create(RootKey key) throws SQLException {
        while (incidents.get() >= config.maxIncidents()) {
            if (!deleteOldest()) {
                break;
            }
        }
        long now = System.currentTimeMillis() * 1_000_000L;
        Open o = new Open(store.create(key, null, null, now), key);
        open.put(o.id, o);
        incidents.incrementAndGet();
        opened.incrementAndGet();
        return o;
    }

    private void commit() throws SQLException {
        writeCounters();
        store.commit();
        uncommitted = 0;
    }

    private void writeCounters() throws SQLException {
        for (Open o : dirty) {
            store.update(o.row());
        }
        dirty.clear();
    }

    /**
     * Deletes the incident with the oldest last alert (count and size
     * retention); false when there is none left to delete.
     */
    private boolean deleteOldest() throws SQLException {
        writeCounters(); // the store orders by what it holds: bring it up to date first
        IncidentStore.Row oldest = store.oldest();
        if (oldest == null) {
            return false;
        }
        delete(oldest);
        deletedSize.incrementAndGet();
        return true;
    }

    private void deleteExpired(long nowNs) throws SQLException {
        commit();
        long cutoff = nowNs - config.maxAge().toNanos();
        for (IncidentStore.Row r : store.rows()) {
            if (r.lastAlertNs() >= cutoff) {
                break;
            }
            delete(r);
            deletedAge.incrementAndGet();
        }
    }

    private void delete(IncidentStore.Row r) throws SQLException {
        store.delete(r.id());
        Open o = open.remove(r.id());
        long size = r.bytes();
        if (o != null) {
            size = o.bytes;
            dirty.remove(o);
            for (Lineage l : lineages.values()) {
                if (l.open == o) {
                    l.open = null;
                }
            }
        }
        bytes.addAndGet(-size);
        incidents.decrementAndGet();
    }

    /** Counts what the store holds and reopens the incidents still within their quiet gap. */
    private void restore() throws SQLException {
        long nowNs = System.currentTimeMillis() * 1_000_000L;
        List<IncidentStore.Row> rows = store.rows();
        long total = 0;
        for (IncidentStore.Row r : rows) {
            total += r.bytes();
        }
        incidents.set(rows.size());
        bytes.set(total);
        deleteExpired(nowNs);
        for (IncidentStore.Row r : store.rows()) {
            if (nowNs - r.lastAlertNs() > quietGapNs || r.alerts() == 0) {
                continue;
            }
            Open o = new Open(r.id(), r.root());
            o.rootName = r.rootName();
            o.rootExecutable = r.rootExecutable();
            o.nextSeq = store.nextSeq(r.id());
            o.firstNs = r.firstNs();
            o.lastNs = r.lastNs();
            o.firstAlertNs = r.firstAlertNs();
            o.lastAlertNs = r.lastAlertNs();
            o.severity = r.severity();
            o.alerts = r.alerts();
            o.connections = r.connections();
            o.documents = r.documents();
            o.dropped = r.documentsDropped();
            o.bytes = r.bytes();
            o.pids.addAll(store.pids(r.id(), false));
            o.members.addAll(store.pids(r.id(), true));
            open.put(o.id, o);
            lineage(r.root()).open = o;
        }
    }
}
