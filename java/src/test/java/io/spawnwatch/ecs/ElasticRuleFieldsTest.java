package io.spawnwatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.event.TestRecords;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Elastic's six web-server rules, as published in elastic/detection-rules
 * (main, commit 14cf530f; the two under rules/_deprecated/ at c6bf8d93), read
 * these fields of an Elastic Defend document. For each, an event that the
 * rule's query selects is rendered by our writer, and the document must carry
 * every field the rule reads, with Defend's value conventions: event.category
 * process/network, event.type start, event.action exec / connection_attempted,
 * host.os.type linux, network.direction egress. The lists are field names
 * only, taken from each query (and from new_terms_fields and the ES|QL keep
 * and stats); data_stream.* is the index's, not the document's, and is left out.
 */
class ElasticRuleFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** persistence_web_server_sus_child_spawned.toml (ES|QL; deprecated 2026). */
    static final List<String> UNUSUAL_PROCESS_SPAWNED = List.of("host.os.type", "event.type", "event.action",
            "process.parent.name", "user.name", "user.id", "process.parent.working_directory", "process.name",
            "process.executable", "process.working_directory", "process.parent.executable", "process.command_line",
            "agent.id", "host.name");
    /** persistence_webserver_suspicious_child_execution.toml (EQL). */
    static final List<String> SUSPICIOUS_CHILD_EXECUTION = List.of("event.category", "host.os.type", "event.type",
            "event.action", "process.parent.name", "process.parent.command_line", "process.parent.args",
            "process.working_directory", "process.executable", "process.name", "process.parent.executable",
            "process.command_line");
    /** persistence_webserver_suspicious_command_execution.toml (EQL). */
    static final List<String> SUSPICIOUS_COMMAND_EXECUTION = List.of("event.category", "host.os.type", "event.type",
            "event.action", "process.parent.name", "process.parent.command_line", "process.parent.args",
            "process.working_directory", "process.name", "process.args", "process.command_line",
            "process.parent.executable");
    /** persistence_webserver_unusual_child_execution.toml (new terms: command_line, host.id, executable). */
    static final List<String> UNUSUAL_CHILD_EXECUTION = List.of("event.category", "host.os.type", "event.type",
            "event.action", "process.parent.name", "process.parent.command_line", "process.parent.args",
            "process.executable", "process.command_line", "process.name", "process.parent.executable",
            "process.working_directory", "process.args", "host.id");
    /** persistence_webserver_unusual_command_execution.toml (new terms: command_line, host.id, parent.executable). */
    static final List<String> UNUSUAL_COMMAND_EXECUTION = List.of("event.category", "host.os.type", "event.type",
            "event.action", "process.parent.name", "process.parent.command_line", "process.parent.args",
            "process.command_line", "process.name", "process.args", "process.parent.executable",
            "process.working_directory", "host.id");
    /** persistence_web_server_sus_destination_port.toml (EQL, network; deprecated). */
    static final List<String> UNCOMMON_DESTINATION_PORT = List.of("event.category", "host.os.type", "event.type",
            "event.action", "process.name", "user.name", "user.id", "network.direction", "destination.ip",
            "destination.port");

    @TempDir
    Path dir;
    private PhpFpmHost host;
    private EnrichedEvent event;
    private final EcsEventWriter writer = new EcsEventWriter(EcsEventWriterTest.HOST, EcsEventWriterTest.AGENT);

    @BeforeEach
    void setUp() throws Exception {
        host = new PhpFpmHost(dir); // the php-fpm master and worker, known from their exec events
        event = host.event;
    }

    private JsonNode document(MemorySegment record) throws Exception {
        host.wrap(record);
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            writer.writeEvent(g, event);
        }
        return JSON.readTree(out.toString());
    }

    /** A child of the php-fpm worker, in the script's directory, as www-data. */
    private JsonNode childOfPhpFpm(String comm, String exe, String... args) throws Exception {
        return document(TestRecords.withParentCwd(TestRecords.exec(300, 200, comm, "php-fpm8.2", exe, "/var/www/html",
                "/usr/sbin/php-fpm8.2", 33, 100, 2, args), "/var/www/html"));
    }

    private static List<String> missing(JsonNode d, List<String> fields) {
        List<String> out = new ArrayList<>();
        for (String f : fields) {
            JsonNode n = d;
            for (String part : f.split("\\.")) {
                n = n.path(part);
            }
            if (n.isMissingNode() || n.isNull() || (n.isTextual() && n.asText().isEmpty())
                    || (n.isArray() && n.isEmpty())) {
                out.add(f);
            }
        }
        return out;
    }

    private static void assertDefendProcessStart(JsonNode d) {
        assertEquals("linux", d.at("/host/os/type").asText());
        assertEquals("[\"process\"]", d.at("/event/category").toString());
        assertEquals("[\"start\"]", d.at("/event/type").toString());
        assertEquals("exec", d.at("/event/action").asText());
        assertEquals("php-fpm8.2", d.at("/process/parent/name").asText()); // like "php-fpm*" in every rule
    }

    @Test
    void shouldCarryWhatUnusualProcessSpawnedFromWebServerParentReads() throws Exception {
        // process.name "sh", parent php-fpm*, user.id "33"; working directory not "/" or /home/*.
        JsonNode d = childOfPhpFpm("sh", "/usr/bin/dash", "sh", "-c", "id");
        assertEquals(List.of(), missing(d, UNUSUAL_PROCESS_SPAWNED), d.toString());
        assertDefendProcessStart(d);
        assertEquals("33", d.at("/user/id").asText()); // a string, as the rule's user.id in ("33", ...) needs
        assertEquals("/var/www/html", d.at("/process/parent/working_directory").asText());
    }

    @Test
    void shouldCarryWhatSuspiciousChildExecutionViaWebServerReads() throws Exception {
        JsonNode d = childOfPhpFpm("curl", "/usr/bin/curl", "curl", "-s", "http://203.0.113.9/x");
        assertEquals(List.of(), missing(d, SUSPICIOUS_CHILD_EXECUTION), d.toString());
        assertDefendProcessStart(d);
        assertEquals("curl", d.at("/process/name").asText());
        assertEquals("[\"php-fpm: pool www\"]", d.at("/process/parent/args").toString());
    }

    @Test
    void shouldCarryWhatSuspiciousCommandExecutionViaWebServerReads() throws Exception {
        // process.name in (sh, ...), process.args in ("-c") and process.args in ("id") (glibc 2.38+: "--" too).
        JsonNode d = childOfPhpFpm("sh", "/usr/bin/dash", "sh", "-c", "--", "id");
        assertEquals(List.of(), missing(d, SUSPICIOUS_COMMAND_EXECUTION), d.toString());
        assertDefendProcessStart(d);
        assertEquals("[\"sh\",\"-c\",\"--\",\"id\"]", d.at("/process/args").toString());
    }

    @Test
    void shouldCarryWhatUnusualChildExecutionViaWebServerReads() throws Exception {
        JsonNode d = childOfPhpFpm("convert", "/usr/bin/convert", "convert", "upload.png", "thumb.jpg");
        assertEquals(List.of(), missing(d, UNUSUAL_CHILD_EXECUTION), d.toString());
        assertDefendProcessStart(d);
        assertEquals(EcsEventWriterTest.HOST.id(), d.at("/host/id").asText()); // a new-terms field: no bucket without
    }

    @Test
    void shouldCarryWhatUnusualCommandExecutionViaWebServerReads() throws Exception {
        JsonNode d = childOfPhpFpm("sh", "/usr/bin/dash", "sh", "-c", "convert upload.png thumb.jpg");
        assertEquals(List.of(), missing(d, UNUSUAL_COMMAND_EXECUTION), d.toString());
        assertDefendProcessStart(d);
        assertEquals("-c", d.at("/process/args/1").asText());
    }

    @Test
    void shouldCarryWhatUncommonDestinationPortConnectionByWebServerReads() throws Exception {
        JsonNode d = document(TestRecords.connect(200, 100, "php-fpm8.2", "php-fpm8.2", 33, 100, 1, "10.0.0.5",
                "45.33.32.156", 4444));
        assertEquals(List.of(), missing(d, UNCOMMON_DESTINATION_PORT), d.toString());
        assertEquals("linux", d.at("/host/os/type").asText());
        assertEquals("[\"network\"]", d.at("/event/category").toString());
        assertTrue(d.at("/event/type").toString().contains("\"start\""), d.at("/event/type").toString());
        assertEquals("connection_attempted", d.at("/event/action").asText());
        assertEquals("egress", d.at("/network/direction").asText());
        assertEquals("php-fpm8.2", d.at("/process/name").asText());
        assertEquals(4444, d.at("/destination/port").asInt());
    }
}
