package io.spawnwatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spawnwatch.enrich.BootClock;
import io.spawnwatch.enrich.ContainerIds;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.enrich.ProcessTable;
import io.spawnwatch.enrich.SlowReads;
import io.spawnwatch.enrich.UserNames;
import io.spawnwatch.event.EventType;
import io.spawnwatch.event.TestRecords;
import io.spawnwatch.output.Document;
import io.spawnwatch.output.DocumentKind;
import io.spawnwatch.procfs.ProcFs;
import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.rules.Rules;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The renderer writes each event's fields once, and its documents are exactly what EcsEventWriter writes for the
 * whole document: the rendering stage wraps the writer, it does not rewrite it.
 */
class DocumentRendererTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RuleMetadata RULE = Rules.compile("""
            title: Suspicious Web Server Child Process
            id: c903906e-993c-4f94-895a-ad73f7c2c7ee
            description: A web server starts a discovery tool.
            tags: [attack.persistence, attack.t1505.003]
            level: high
            logsource: {product: linux, category: process_creation}
            detection: {sel: {Image: x}, condition: sel}
            """).metadata();
    private static final RuleMetadata BARE = Rules.compile("""
            title: bare
            id: 00000000-0000-4000-8000-000000000001
            logsource: {product: linux, category: process_creation}
            detection: {sel: {Image: x}, condition: sel}
            """).metadata();

    @TempDir
    Path dir;
    private ProcessTable table;
    private EnrichedEvent event;
    private final EcsEventWriter writer = TestIdentities.writer("web1");
    private final DocumentRenderer renderer = new DocumentRenderer(writer);

    @BeforeEach
    void setUp() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), "www-data:x:33:33::/var/www:/usr/sbin/nologin\n");
        Path proc = Files.createDirectory(dir.resolve("proc"));
        table = new ProcessTable(64, proc);
        event = new EnrichedEvent(table, new UserNames(passwd), new ContainerIds(proc), new BootClock());
        keep(TestRecords.exec(100, 1, "php-fpm8.2", "systemd", "/usr/sbin/php-fpm8.2", "/", "/usr/lib/systemd/systemd",
                0, 0, 0, "php-fpm: master process"));
    }

    private void keep(MemorySegment record) {
        assertTrue(event.wrap(record, 0));
        if (event.type() == EventType.EXEC) {
            table.recordExec(event.exec());
        }
        renderer.reset(event);
    }

    private interface Whole {
        void write(JsonGenerator g) throws Exception;
    }

    private static String whole(Whole w) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            w.write(g);
        }
        return perDocument(out.toString(StandardCharsets.UTF_8) + "\n");
    }

    private static String text(Document d) {
        return perDocument(new String(d.line(), StandardCharsets.UTF_8));
    }

    /** event.id and event.created differ in every document by design: compared apart (see below). */
    private static String perDocument(String line) {
        return line.replaceFirst("\"id\":\"[0-9a-f]{32}\",\"created\":\"[^\"]+\"", "\"id\":\"ID\",\"created\":\"CREATED\"");
    }

    @Test
    void shouldGiveEveryRenderedDocumentItsOwnEventId() throws Exception {
        keep(TestRecords.exec(300, 100, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html", "/usr/sbin/php-fpm8.2",
                33, 100, 1, "sh", "-c", "id"));
        renderer.reset(event);
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Document d : List.of(renderer.event(), renderer.alert(RULE, 0), renderer.alert(BARE, 0))) {
            String line = new String(d.line(), StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"kind\":\"[a-z]+\",\"id\":\"([0-9a-f]{32})\"").matcher(line);
            assertEquals(true, m.find(), line);
            ids.add(m.group(1));
        }
        assertEquals(3, ids.size());
    }

    @Test
    void shouldRenderAnExecEventExactlyAsTheWriterDoes() throws Exception {
        keep(TestRecords.exec(300, 100, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html", "/usr/sbin/php-fpm8.2",
                33, 100, 1, "sh", "-c", "id; uname -a \"é\""));
        Document d = renderer.event();
        assertEquals(whole(g -> writer.writeEvent(g, event)), text(d));
        assertEquals(DocumentKind.EVENT, d.kind());
        assertEquals(100, d.rootPid());
        assertEquals(event.timestampNanos(), d.timestampNanos());
    }

    @Test
    void shouldRenderEachAlertExactlyAsTheWriterDoesFromOneRenderingOfTheFields() throws Exception {
        keep(TestRecords.exec(300, 100, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html", "/usr/sbin/php-fpm8.2",
                33, 100, 1, "sh", "-c", "id"));
        Document event1 = renderer.event();
        Document alert = renderer.alert(RULE, 3);
        Document bare = renderer.alert(BARE, 0);
        assertEquals(whole(g -> writer.writeEvent(g, event)), text(event1));
        assertEquals(whole(g -> writer.writeAlert(g, event, RULE, 3)), text(alert));
        assertEquals(whole(g -> writer.writeAlert(g, event, BARE, 0)), text(bare));
        assertEquals(DocumentKind.ALERT, alert.kind());
        JsonNode a = JSON.readTree(alert.line());
        assertEquals("alert", a.at("/event/kind").asText());
        assertEquals(3, a.at("/spawnwatch/repeats_suppressed").asInt());
    }

    @Test
    void shouldRenderAConnectAlertExactlyAsTheWriterDoes() throws Exception {
        keep(TestRecords.connect(100, 1, "php-fpm8.2", "systemd", 33, 100, 0, "10.0.0.5", "2001:db8::7", 4444));
        assertEquals(whole(g -> writer.writeAlert(g, event, RULE, 0)), text(renderer.alert(RULE, 0)));
        assertEquals(whole(g -> writer.writeEvent(g, event)), text(renderer.event()));
    }

    @Test
    void shouldSayPendingWhenAFieldWaitsForProc() throws Exception {
        Path proc = Files.createDirectory(dir.resolve("slowproc")); // pid 4000 is not there: its read finds nothing
        ProcessTable slowTable = new ProcessTable(64, proc);
        ContainerIds containers = new ContainerIds(proc);
        try (SlowReads slow = new SlowReads(slowTable, containers, new ProcFs(proc))) {
            EnrichedEvent ev = new EnrichedEvent(slowTable, new UserNames(dir.resolve("passwd")), containers,
                    new BootClock(), slow);
            assertTrue(ev.wrap(TestRecords.exec(4242, 4000, "sh", "php-fpm8.2", "/usr/bin/dash", "/", "/x", 33, 4000,
                    1, "sh", "-c", "id"), 0));
            renderer.reset(ev);
            JsonNode d = JSON.readTree(renderer.event().line());
            assertEquals("pending", d.at("/spawnwatch/enrichment").asText());
            assertTrue(d.at("/process/parent/command_line").isMissingNode());
        }
    }
}
