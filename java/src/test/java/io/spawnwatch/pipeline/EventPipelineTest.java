package io.spawnwatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spawnwatch.ecs.DocumentRenderer;
import io.spawnwatch.ecs.EcsEventWriter;
import io.spawnwatch.enrich.BootClock;
import io.spawnwatch.enrich.ContainerIds;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.enrich.ProcessTable;
import io.spawnwatch.enrich.SlowReads;
import io.spawnwatch.enrich.UserNames;
import io.spawnwatch.event.DecodeStats;
import io.spawnwatch.event.ProcessDescriptor;
import io.spawnwatch.event.RecordDescriptor;
import io.spawnwatch.event.TestRecords;
import io.spawnwatch.output.Document;
import io.spawnwatch.output.DocumentKind;
import io.spawnwatch.output.Sink;
import io.spawnwatch.output.SinkStats;
import io.spawnwatch.procfs.ProcFs;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.RuleEngine;
import io.spawnwatch.rules.model.RuleSource;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole user-side path over records laid out as the kernel writes them: decode, recognition, process
 * table, enrichment (with the real slow path), the shipped rules, rendering and a sink.
 */
class EventPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A sink that keeps what it is offered, synchronously (the pipeline's view of a sink). */
    static final class Kept implements Sink {
        final Set<DocumentKind> kinds;
        final List<Document> documents = new ArrayList<>();

        Kept(Set<DocumentKind> kinds) {
            this.kinds = kinds;
        }

        @Override
        public String name() {
            return "kept";
        }

        @Override
        public boolean wants(DocumentKind kind) {
            return kinds.contains(kind);
        }

        @Override
        public void offer(Document document) {
            documents.add(document);
        }

        @Override
        public SinkStats stats() {
            return new SinkStats(documents.size(), documents.size(), 0, 0, 0);
        }

        @Override
        public void close() {}
    }

    @TempDir
    Path dir;
    private Arena arena;
    private RuleEngine engine;
    private SlowReads slow;

    @BeforeEach
    void open() throws Exception {
        arena = Arena.ofConfined();
        engine = RuleEngine.open(DetectionConfig.defaults().withStatePath(null), RuleSource.builtin(), null);
    }

    @AfterEach
    void close() {
        engine.close();
        if (slow != null) {
            slow.close();
        }
        arena.close();
    }

    private EventPipeline pipeline(Sink sink) throws Exception {
        return pipeline(sink, null);
    }

    private EventPipeline pipeline(Sink sink, io.spawnwatch.control.SubscriberHub hub) throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Path passwd = Files.writeString(dir.resolve("passwd"), "www-data:x:33:33::/var/www:/usr/sbin/nologin\n");
        ProcessTable table = new ProcessTable(1024, proc);
        ContainerIds containers = new ContainerIds(proc);
        slow = new SlowReads(table, containers, new ProcFs(proc));
        EnrichedEvent event = new EnrichedEvent(table, new UserNames(passwd), containers, new BootClock(), slow);
        return new EventPipeline(event, new ServerRecognition(new io.spawnwatch.recognition.ServerRecognizer(
                io.spawnwatch.config.ConfigLoader.defaults().webServers(), (pid, start) -> { },
                new io.spawnwatch.recognition.Roots(8))),
                new ProcessStage(table), engine, new DocumentRenderer(io.spawnwatch.ecs.TestIdentities.writer("web1")), List.of(sink),
                hub);
    }

    /** Copies a test record into native memory, as the ring holds it, and returns its offset there. */
    private MemorySegment ring(MemorySegment... records) {
        long size = 0;
        for (MemorySegment r : records) {
            size += r.byteSize();
        }
        MemorySegment ring = arena.allocate(size, 8);
        long at = 0;
        for (MemorySegment r : records) {
            MemorySegment.copy(r, 0, ring, at, r.byteSize());
            at += r.byteSize();
        }
        return ring;
    }

    private static void feed(EventPipeline p, MemorySegment ring, MemorySegment... records) {
        long at = 0;
        for (MemorySegment r : records) {
            p.onRecord(ring, at, (int) r.byteSize());
            at += r.byteSize();
        }
    }

    private static final MemorySegment MASTER = TestRecords.exec(100, 1, "php-fpm8.2", "systemd",
            "/usr/sbin/php-fpm8.2", "/", "/usr/lib/systemd/systemd", 0, 100, 0, "php-fpm: master process");
    private static final MemorySegment WORKER = TestRecords.exec(200, 100, "php-fpm8.2", "php-fpm8.2",
            "/usr/sbin/php-fpm8.2", "/", "/usr/sbin/php-fpm8.2", 33, 100, 1, "php-fpm: pool www");
    private static final MemorySegment SHELL = TestRecords.exec(300, 200, "sh", "php-fpm8.2", "/usr/bin/dash",
            "/var/www/html", "/usr/sbin/php-fpm8.2", 33, 100, 2, "sh", "-c", "id");
    private static final MemorySegment CONVERT = TestRecords.exec(400, 300, "convert", "sh", "/usr/bin/convert",
            "/var/www/html", "/usr/bin/dash", 33, 100, 3, "convert", "/var/www/html/up/a.png", "-resize", "50%",
            "/var/www/html/up/b.png");
    private static final MemorySegment CONNECT = TestRecords.connect(200, 100, "php-fpm8.2", "php-fpm8.2", 33, 100,
            1, "10.0.0.2", "10.0.0.5", 443);

    @Test
    void shouldKeepRenderedEventsForEventsLastWhenNobodyFollows() throws Exception {
        io.spawnwatch.control.SubscriberHub hub = new io.spawnwatch.control.SubscriberHub(
                io.spawnwatch.control.SubscriberHub.Options.defaults());
        EventPipeline p = pipeline(new Kept(Set.of(DocumentKind.EVENT, DocumentKind.ALERT)), hub);
        feed(p, ring(MASTER, WORKER, SHELL), MASTER, WORKER, SHELL);
        assertFalse(hub.hasEventSubscribers());
        List<byte[]> recent = hub.recentEvents(10);
        assertEquals(3, recent.size());
        assertEquals(300, JSON.readTree(recent.get(2)).at("/process/pid").asInt());
    }

    @Test
    void shouldRaiseAlertsForAWebShellAndRenderEventsOnlyWhenWanted() throws Exception {
        Kept sink = new Kept(Set.of(DocumentKind.ALERT));
        EventPipeline p = pipeline(sink);
        feed(p, ring(MASTER, WORKER, SHELL), MASTER, WORKER, SHELL);
        PipelineStats s = p.stats();
        assertEquals(3, s.events());
        assertTrue(s.alerts() >= 1, s.toString());
        assertEquals(s.alerts(), sink.documents.size());
        int shellAlerts = 0;
        for (Document d : sink.documents) {
            JsonNode j = JSON.readTree(d.line());
            assertEquals("alert", j.at("/event/kind").asText());
            assertEquals(100, d.rootPid());
            assertEquals('\n', d.line()[d.line().length - 1]);
            if (j.at("/process/pid").asInt() == 300) {
                shellAlerts++;
                assertEquals("sh -c id", j.at("/process/command_line").asText());
                assertEquals("php-fpm: pool www", j.at("/process/parent/command_line").asText());
                assertEquals("php-fpm8.2 > php-fpm8.2 > sh", j.at("/spawnwatch/lineage/chain").asText());
            }
        }
        assertTrue(shellAlerts >= 1, "the shell under php-fpm raised an alert");
        assertTrue(sink.documents.stream().noneMatch(d -> d.kind() == DocumentKind.EVENT));

        Kept both = new Kept(Set.of(DocumentKind.ALERT, DocumentKind.EVENT));
        EventPipeline q = pipeline(both);
        feed(q, ring(MASTER, WORKER), MASTER, WORKER);
        assertEquals(2, both.documents.size(), "one event document each, no alert");
        assertEquals("event", JSON.readTree(both.documents.get(1).line()).at("/event/kind").asText());
    }

    @Test
    void shouldOfferEverySeedRuleCandidateBeforeRarityAndNothingElseAsAFleetCandidate() throws Exception {
        Kept fleet = new Kept(Set.of(DocumentKind.FLEET_CANDIDATE));
        EventPipeline p = pipeline(fleet);
        // The shell under php-fpm passes the seed rule's selection; the same shell 6 times: the host's own
        // rarity goes quiet from the 5th, the fleet still gets every one. convert (not a shell or tool) and
        // the php-fpm processes themselves are no candidates.
        MemorySegment[] records = new MemorySegment[10];
        records[0] = MASTER;
        records[1] = WORKER;
        for (int i = 0; i < 6; i++) {
            records[2 + i] = TestRecords.exec(300 + i, 200, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html",
                    "/usr/sbin/php-fpm8.2", 33, 100, 2, "sh", "-c", "id");
        }
        records[8] = CONVERT;
        records[9] = CONNECT;
        feed(p, ring(records), records);
        assertEquals(6, fleet.documents.size(), "every shell, the silenced ones included");
        for (int i = 0; i < 6; i++) {
            Document d = fleet.documents.get(i);
            JsonNode j = JSON.readTree(d.line());
            assertEquals(DocumentKind.FLEET_CANDIDATE, d.kind());
            assertEquals("event", j.at("/event/kind").asText(), "the event's own document");
            assertEquals(300 + i, j.at("/process/pid").asInt());
            assertEquals("/usr/bin/dash", j.at("/process/executable").asText());
            assertEquals("/var/www/html", j.at("/process/working_directory").asText());
            assertEquals("/usr/sbin/php-fpm8.2", j.at("/process/parent/executable").asText());
            assertEquals(100, d.rootPid());
        }
        assertEquals(10, p.stats().events(), "every record was an event");
    }

    @Test
    void shouldDropAnUnrecognisedCandidateWithoutRecordingItAndFollowARecognisedOne() throws Exception {
        Kept sink = new Kept(Set.of(DocumentKind.ALERT, DocumentKind.EVENT));
        EventPipeline p = pipeline(sink);
        MemorySegment script = TestRecords.exec(500, 1, "python3", "bash", "/usr/bin/python3.11", "/srv", "/bin/bash",
                1000, 0, 0, "python3", "backup.py");
        MemorySegment server = TestRecords.exec(501, 1, "python3", "bash", "/usr/bin/python3.11", "/srv", "/bin/bash",
                1000, 0, 0, "python3", "-m", "gunicorn", "app:app");
        for (MemorySegment r : List.of(script, server)) {
            int at = RecordDescriptor.PROCESS_OFFSET + ProcessDescriptor.MATCH_OFFSET;
            r.set(ValueLayout.JAVA_INT_UNALIGNED, at, ProcessDescriptor.MATCH_CANDIDATE);
        }
        feed(p, ring(script, server), script, server);
        PipelineStats s = p.stats();
        assertEquals(1, s.candidatesIgnored());
        assertEquals(1, s.serversRecognised());
        assertEquals(1, s.events());
        assertEquals(1, sink.documents.size());
        assertEquals(501, JSON.readTree(sink.documents.get(0).line()).at("/process/pid").asInt());
    }

    @Test
    void shouldCountAndSkipABadRecordAndGoOn() throws Exception {
        Kept sink = new Kept(Set.of(DocumentKind.EVENT));
        EventPipeline p = pipeline(sink);
        MemorySegment bad = TestRecords.exec(100, 1, "nginx", "systemd", "/usr/sbin/nginx", "/", "/sbin/init", 0, 0,
                0, "nginx");
        bad.set(ValueLayout.JAVA_SHORT_UNALIGNED, RecordDescriptor.VERSION_OFFSET, (short) 99);
        feed(p, ring(bad, MASTER), bad, MASTER);
        assertEquals(new DecodeStats(1, 0, 1, 0, 0), p.stats().decode());
        assertEquals(1, p.stats().events());
        assertEquals(1, sink.documents.size());
    }

    /**
     * Zero bytes per event that raises nothing, on the sensor's own path: the records sit in native memory as in
     * the ring, and go through the pipeline's onRecord (decode, process table, enrichment with its slow path,
     * the shipped rules), measured with the JVM's per-thread allocation counter after a warm-up.
     */
    @Test
    void shouldAllocateNothingForEventsThatRaiseNothing() throws Exception {
        Kept sink = new Kept(Set.of(DocumentKind.ALERT));
        EventPipeline p = pipeline(sink);
        feed(p, ring(MASTER, WORKER, SHELL), MASTER, WORKER, SHELL);
        int before = sink.documents.size();
        long pendingBefore = p.stats().enrichmentPending(); // systemd, the master's parent, was never seen
        MemorySegment[] records = {CONVERT, CONNECT}; // one array: a varargs call per loop would allocate one
        MemorySegment quiet = ring(records);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 200_000; i++) {
            feed(p, quiet, records);
        }
        long start = threads.getCurrentThreadAllocatedBytes();
        long calibration = threads.getCurrentThreadAllocatedBytes() - start;
        // Five rounds, and the quietest must be 0: an allocation per event shows in every round, while a JIT
        // deoptimisation (this JVM also ran other tests, with other profiles) runs a while in the interpreter,
        // which allocates, and shows in one round only.
        long[] rounds = new long[5];
        for (int r = 0; r < rounds.length; r++) {
            start = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                feed(p, quiet, records);
            }
            rounds[r] = threads.getCurrentThreadAllocatedBytes() - start - calibration;
        }
        assertEquals(before, sink.documents.size(), "the quiet events raised nothing");
        assertEquals(0, java.util.Arrays.stream(rounds).min().orElseThrow(),
                "bytes allocated by 40000 events through the pipeline, in each of five rounds: "
                        + java.util.Arrays.toString(rounds));
        assertEquals(3 + 600_000, p.stats().events());
        assertEquals(pendingBefore, p.stats().enrichmentPending(), "every process was known: nothing waited");
    }
}
