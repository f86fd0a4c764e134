package io.spawnwatch.incident;

import static io.spawnwatch.incident.Docs.SECOND;
import static io.spawnwatch.incident.Docs.T0;
import static io.spawnwatch.incident.Docs.alert;
import static io.spawnwatch.incident.Docs.connect;
import static io.spawnwatch.incident.Docs.document;
import static io.spawnwatch.incident.Docs.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.output.DocumentKind;
import io.spawnwatch.output.SinkStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident store as a sink, over synthetic documents shaped as the
 * sensor's: grouping by root and quiet gap, which processes belong, the look
 * back before the first alert, every bound under a flood (counted exactly),
 * modes of the files, and a restart.
 */
class IncidentSinkTest {
    private static final int ROOT = 100;
    private static final int WORKER = 101;

    @TempDir
    Path tmp;

    private IncidentConfig config(long maxBytes, int maxIncidents, int maxDocs, int lineages) throws Exception {
        IncidentConfig d = ConfigLoader.defaults().incidents();
        return new IncidentConfig(true, tmp.resolve("state/incidents.db").toString(), Duration.ofMinutes(10),
                Duration.ofSeconds(30), d.maxAge(), maxBytes, maxIncidents, maxDocs, lineages, 128, 16_777_216,
                1_048_576);
    }

    private IncidentConfig config() throws Exception {
        return config(268_435_456L, 10_000, 5000, 4096);
    }

    private static void offer(IncidentSink sink, ObjectNode... docs) {
        for (ObjectNode d : docs) {
            sink.offer(document(d, 77));
        }
    }

    private IncidentStore reopenStore() throws Exception {
        return IncidentStore.open(tmp.resolve("state/incidents.db"));
    }

    private static List<JsonNode> documents(IncidentStore store, long id) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : store.show(id).documents()) {
            out.add(Docs.JSON.readTree(line));
        }
        return out;
    }

    private static Set<Integer> pids(List<JsonNode> docs) {
        Set<Integer> out = new TreeSet<>();
        docs.forEach(d -> out.add(d.path("process").path("pid").asInt()));
        return out;
    }

    @Test
    void shouldKeepTheAlertedProcessesAndTheirDescendantsButNotBenignSiblings() throws Exception {
        IncidentSink sink = IncidentSink.open(config());
        ObjectNode sh = exec(T0 + SECOND, ROOT, 300, WORKER, "sh", "sh", "-c", "id");
        ObjectNode c2 = connect(T0 + 5 * SECOND, ROOT, 302, 300, "sh", "203.0.113.9", 4444);
        offer(sink,
                exec(T0, ROOT, 200, WORKER, "date", "date", "+%s"), // benign, before
                sh, alert(sh, "r1", "Suspicious Command", 47),
                exec(T0 + 2 * SECOND, ROOT, 301, 300, "id", "id"),
                exec(T0 + 3 * SECOND, ROOT, 201, WORKER, "date", "date", "+%s"), // benign, between
                c2, alert(c2, "r2", "Unusual Network Connection", 73),
                exec(T0 + 6 * SECOND, ROOT, 202, WORKER, "date", "date", "+%s")); // benign, after
        sink.close();
        assertEquals(new SinkStats(8, 8, 0, 0, 0), sink.stats());

        try (IncidentStore store = reopenStore()) {
            List<IncidentSummary> list = store.list(0);
            assertEquals(1, list.size());
            IncidentSummary s = list.getFirst();
            assertEquals(ROOT, s.rootPid());
            assertEquals(77, s.rootStartBootNs());
            assertEquals("php-fpm8.2", s.rootName());
            assertEquals("/usr/sbin/php-fpm8.2", s.rootExecutable());
            assertEquals(3, s.processes());
            assertEquals(2, s.alerts());
            assertEquals(1, s.connections());
            assertEquals(5, s.documents());
            assertEquals(73, s.severity());
            assertEquals("high", s.level());
            assertEquals("2026-11-30T12:00:01Z", s.first());
            assertEquals("2026-11-30T12:00:05Z", s.last());
            assertEquals(Set.of(300, 301, 302), pids(documents(store, s.id())));
        }
    }

    @Test
    void shouldStartAnotherIncidentAfterTheQuietGapAndForAnotherServerInstance() throws Exception {
        IncidentSink sink = IncidentSink.open(config());
        ObjectNode a = exec(T0, ROOT, 300, WORKER, "sh", "sh", "-c", "id");
        ObjectNode b = exec(T0 + 9 * 60 * SECOND, ROOT, 310, WORKER, "sh", "sh", "-c", "id");
        ObjectNode c = exec(T0 + 20 * 60 * SECOND, ROOT, 320, WORKER, "sh", "sh", "-c", "id");
        offer(sink, a, alert(a, "r", "R", 47), b, alert(b, "r", "R", 47), c, alert(c, "r", "R", 47));
        // Same pid, another start: another web-server instance.
        sink.offer(document(alert(exec(T0 + 20 * 60 * SECOND, ROOT, 330, WORKER, "sh", "sh"), "r", "R", 47), 78));
        sink.close();
        try (IncidentStore store = reopenStore()) {
            List<IncidentSummary> list = store.list(0);
            assertEquals(3, list.size(), list.toString());
            assertEquals(List.of(4L, 2L, 1L), list.stream().map(IncidentSummary::documents).toList());
            assertEquals(List.of(77L, 77L, 78L), list.stream().map(IncidentSummary::rootStartBootNs).toList());
            assertEquals(Set.of(300, 310), pids(documents(store, list.get(0).id())));
        }
        assertEquals(3, sink.counters().get("incidents_opened"));
    }

    @Test
    void shouldTakeInTheAncestryOfAnAlertedProcessFromBeforeWithinTheLookBack() throws Exception {
        IncidentSink sink = IncidentSink.open(config());
        ObjectNode python = exec(T0, ROOT, 400, WORKER, "python3", "python3", "app.py");
        ObjectNode bash = exec(T0 + 50 * SECOND, ROOT, 401, 400, "bash", "bash", "-i");
        ObjectNode sibling = exec(T0 + 55 * SECOND, ROOT, 405, 400, "ls", "ls");
        ObjectNode nc = exec(T0 + 60 * SECOND, ROOT, 402, 401, "nc", "nc", "203.0.113.9", "4444");
        offer(sink, python, bash, sibling, nc, alert(nc, "r", "R", 73));
        sink.close();
        try (IncidentStore store = reopenStore()) {
            IncidentSummary s = store.list(0).getFirst();
            // python3 is an ancestor but 60 s before the alert (look-back 30 s); ls is no ancestor.
            assertEquals(Set.of(401, 402), pids(documents(store, s.id())));
            assertEquals("2026-11-30T12:00:50Z", s.first());
        }
    }

    @Test
    void shouldStayWithinTheDocumentBoundOfAnIncidentAndCountTheRest() throws Exception {
        IncidentSink sink = IncidentSink.open(config(268_435_456L, 10_000, 100, 4096));
        for (int i = 0; i < 10_000; i++) {
            ObjectNode e = exec(T0 + i * 1_000_000L, ROOT, 1000 + i, WORKER, "sh", "sh", "-c", "x" + i);
            sink.offer(document(alert(e, "r", "R", 47), 77));
        }
        SinkDrain.await(sink, Duration.ofSeconds(60));
        sink.close();
        assertEquals(new SinkStats(10_000, 10_000, 0, 0, 0), sink.stats());
        assertEquals(9_900L, sink.counters().get("documents_dropped_incident_full"));
        try (IncidentStore store = reopenStore()) {
            IncidentSummary s = store.list(0).getFirst();
            assertEquals(100, s.documents());
            assertEquals(9_900, s.documentsDropped());
            assertEquals(100, store.show(s.id()).documents().size());
        }
    }

    @Test
    void shouldStayWithinTheIncidentAndByteBoundsUnderAFloodOfAlertsFromManyRoots() throws Exception {
        IncidentSink sink = IncidentSink.open(config(65_536, 50, 5000, 64));
        for (int root = 1; root <= 1000; root++) {
            for (int k = 0; k < 3; k++) {
                ObjectNode e = exec(T0 + root * SECOND + k, 10_000 + root, 20_000 + root * 4 + k, 10_000 + root,
                        "sh", "sh", "-c", "flood " + root);
                sink.offer(document(alert(e, "r", "R", 47), 77));
            }
        }
        SinkDrain.await(sink, Duration.ofSeconds(60));
        sink.close();
        assertEquals(new SinkStats(3000, 3000, 0, 0, 0), sink.stats());
        var c = sink.counters();
        assertEquals(1000L, c.get("incidents_opened"));
        assertEquals(1000L - 64, c.get("lineages_forgotten"));
        assertTrue(c.get("incidents") <= 50, c.toString());
        assertTrue(c.get("bytes") <= 65_536, c.toString());
        assertEquals(1000L - c.get("incidents"), c.get("incidents_deleted_size"));
        try (IncidentStore store = reopenStore()) {
            List<IncidentSummary> list = store.list(0);
            assertEquals(c.get("incidents"), (long) list.size());
            assertEquals(c.get("bytes"), list.stream().mapToLong(IncidentSummary::bytes).sum());
            assertTrue(list.stream().allMatch(s -> s.documents() == 3), list.toString());
            long stored = 0;
            for (IncidentSummary s : list) {
                for (String line : store.show(s.id()).documents()) {
                    stored += line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1; // + its newline
                }
            }
            assertEquals(stored, c.get("bytes"));
            // The newest survive: the last root's incident is there.
            assertEquals(11_000, list.getLast().rootPid());
        }
    }

    @Test
    void shouldCreateTheStoreNotWorldReadableEvenInAnOpenDirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("state"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        IncidentSink sink = IncidentSink.open(config());
        ObjectNode e = exec(T0, ROOT, 300, WORKER, "sh", "sh");
        offer(sink, e, alert(e, "r", "R", 47));
        sink.close();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
    }

    @Test
    void shouldTakeUpAnOpenIncidentAfterARestartAndDropThoseOlderThanTheRetention() throws Exception {
        long now = System.currentTimeMillis() * 1_000_000L;
        long old = now - Duration.ofDays(40).toNanos();
        IncidentSink first = IncidentSink.open(config());
        ObjectNode ancient = exec(old, 500, 501, 500, "sh", "sh");
        ObjectNode ancestor = exec(now - 62 * SECOND, ROOT, 299, WORKER, "bash", "bash", "-i");
        ObjectNode recent = exec(now - 60 * SECOND, ROOT, 300, 299, "sh", "sh", "-c", "id");
        offer(first, ancient, alert(ancient, "r", "R", 47), ancestor, recent, alert(recent, "r", "R", 47));
        first.close();

        IncidentSink second = IncidentSink.open(config());
        assertEquals(1L, second.counters().get("incidents_deleted_age"));
        ObjectNode child = exec(now, ROOT, 301, 300, "id", "id");
        ObjectNode ancestorsOtherChild = exec(now, ROOT, 311, 299, "ls", "ls"); // the ancestor is context, not part
        ObjectNode again = exec(now, ROOT, 310, WORKER, "sh", "sh", "-c", "uname");
        offer(second, child, ancestorsOtherChild, again, alert(again, "r", "R", 73));
        second.close();
        try (IncidentStore store = reopenStore()) {
            List<IncidentSummary> list = store.list(0);
            assertEquals(1, list.size(), list.toString());
            assertEquals(Set.of(299, 300, 301, 310), pids(documents(store, list.getFirst().id())));
            assertEquals(2, list.getFirst().alerts());
            assertEquals(73, list.getFirst().severity());
        }
    }

    @Test
    void shouldWantEventsAndAlertsOnly() throws Exception {
        try (IncidentSink sink = IncidentSink.open(config().withPath(null))) {
            assertTrue(sink.wants(DocumentKind.EVENT));
            assertTrue(sink.wants(DocumentKind.ALERT));
            assertTrue(!sink.wants(DocumentKind.FLEET_CANDIDATE));
        }
    }
}
