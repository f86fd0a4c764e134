package io.spawnwatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spawnwatch.enrich.BootClock;
import io.spawnwatch.enrich.ContainerIds;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.enrich.ProcessTable;
import io.spawnwatch.enrich.UserNames;
import io.spawnwatch.event.TestRecords;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ECS documents from synthetic records laid out as the kernel writes them (the kernel tests check real ones). */
class EcsEventWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private EnrichedEvent event;
    private ProcessTable table;
    private final EcsEventWriter writer = new EcsEventWriter("web1");

    @BeforeEach
    void setUp() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), "root:x:0:0::/root:/bin/sh\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n");
        Path proc = Files.createDirectory(dir.resolve("proc")); // empty: nothing to read for unknown pids
        table = new ProcessTable(64, proc);
        event = new EnrichedEvent(table, new UserNames(passwd), new ContainerIds(proc), new BootClock());
        // The web server and the shell, as earlier exec events made them known.
        wrap(TestRecords.exec(100, 1, "php-fpm8.2", "systemd", "/usr/sbin/php-fpm8.2", "/", "/usr/lib/systemd/systemd",
                0, 0, 0, "php-fpm: master process"));
        wrap(TestRecords.exec(200, 100, "php-fpm8.2", "php-fpm8.2", "/usr/sbin/php-fpm8.2", "/", "/usr/sbin/php-fpm8.2",
                33, 100, 1, "php-fpm: pool www"));
    }

    /** Decodes the record and, as the pipeline's process stage does for a kept exec, records it in the table. */
    private void wrap(MemorySegment record) {
        assertTrue(event.wrap(record, 0));
        if (event.type() == io.spawnwatch.event.EventType.EXEC) {
            table.recordExec(event.exec());
        }
    }

    private JsonNode document() throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            writer.writeEvent(g, event);
        }
        return JSON.readTree(out.toString());
    }

    @Test
    void shouldWriteAnExecAsAnEcsProcessStartWithItsLineage() throws Exception {
        wrap(TestRecords.exec(300, 200, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html", "/usr/sbin/php-fpm8.2",
                33, 100, 2, "sh", "-c", "id; uname -a"));
        JsonNode d = document();
        assertEquals("event", d.at("/event/kind").asText());
        assertEquals("[\"process\"]", d.at("/event/category").toString());
        assertEquals("[\"start\"]", d.at("/event/type").toString());
        assertEquals("exec", d.at("/event/action").asText());
        assertEquals("web1", d.at("/host/name").asText());
        assertEquals(300, d.at("/process/pid").asInt());
        assertEquals("sh", d.at("/process/name").asText());
        assertEquals("/usr/bin/dash", d.at("/process/executable").asText());
        assertEquals("[\"sh\",\"-c\",\"id; uname -a\"]", d.at("/process/args").toString());
        assertEquals(3, d.at("/process/args_count").asInt());
        assertEquals("sh -c id; uname -a", d.at("/process/command_line").asText());
        assertEquals("/var/www/html", d.at("/process/working_directory").asText());
        assertEquals(200, d.at("/process/parent/pid").asInt());
        assertEquals("php-fpm8.2", d.at("/process/parent/name").asText());
        assertEquals("php-fpm: pool www", d.at("/process/parent/command_line").asText());
        assertEquals("33", d.at("/user/id").asText());
        assertEquals("www-data", d.at("/user/name").asText());
        assertEquals(2, d.at("/spawnwatch/lineage/depth").asInt());
        assertEquals(100, d.at("/spawnwatch/lineage/root/pid").asInt());
        assertEquals("php-fpm8.2", d.at("/spawnwatch/lineage/root/name").asText());
        assertEquals("php-fpm8.2 > php-fpm8.2 > sh", d.at("/spawnwatch/lineage/chain").asText());
        assertFalse(d.has("container"), "no container id for a host process");
        assertTrue(d.at("/@timestamp").asText().endsWith("Z"));
    }

    @Test
    void shouldWriteAConnectAsAnEcsNetworkConnectionAttempt() throws Exception {
        wrap(TestRecords.connect(200, 100, "php-fpm8.2", "php-fpm8.2", 33, 100, 1, "10.0.0.5", "203.0.113.9",
                4444));
        JsonNode d = document();
        assertEquals("[\"network\"]", d.at("/event/category").toString());
        assertEquals("[\"connection\",\"start\"]", d.at("/event/type").toString());
        assertEquals("connection_attempted", d.at("/event/action").asText());
        assertEquals("10.0.0.5", d.at("/source/ip").asText());
        assertFalse(d.at("/source").has("port"), "the tracepoint hook has no source port yet");
        assertEquals("203.0.113.9", d.at("/destination/ip").asText());
        assertEquals(4444, d.at("/destination/port").asInt());
        assertEquals("tcp", d.at("/network/transport").asText());
        assertEquals("ipv4", d.at("/network/type").asText());
        assertEquals("egress", d.at("/network/direction").asText());
        assertEquals("/usr/sbin/php-fpm8.2", d.at("/process/executable").asText());
        assertEquals("php-fpm: pool www", d.at("/process/command_line").asText());
    }

    @Test
    void shouldWriteAListenAsAnIngressNetworkStartWithTheListenerAsDestination() throws Exception {
        wrap(TestRecords.listen(300, 200, "nc", "sh", 33, 100, 2, "0.0.0.0", 4445));
        JsonNode d = document();
        assertEquals("[\"network\"]", d.at("/event/category").toString());
        assertEquals("[\"start\"]", d.at("/event/type").toString());
        assertEquals("listen", d.at("/event/action").asText());
        assertEquals("0.0.0.0", d.at("/destination/ip").asText());
        assertEquals(4445, d.at("/destination/port").asInt());
        assertTrue(d.at("/source").isMissingNode(), "a listener has no peer yet");
        assertEquals("ingress", d.at("/network/direction").asText());
        assertEquals("tcp", d.at("/network/transport").asText());
        assertEquals("ipv4", d.at("/network/type").asText());
        assertEquals("tracepoint/sock/inet_sock_set_state", d.at("/spawnwatch/hook").asText());
        assertEquals(2, d.at("/spawnwatch/lineage/depth").asInt());
    }

    @Test
    void shouldWriteIpv6AddressesInTheirShortForm() throws Exception {
        wrap(TestRecords.connect(200, 100, "php-fpm8.2", "php-fpm8.2", 33, 100, 1, "::1", "2001:db8:0:0:0:0:0:7",
                443));
        JsonNode d = document();
        assertEquals("2001:db8::7", d.at("/destination/ip").asText());
        assertEquals("ipv6", d.at("/network/type").asText());
    }
}
