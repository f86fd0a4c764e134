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

    @Test
    void shouldWriteAFileEventWithItsPathParts() throws Exception {
        wrap(TestRecords.file(200, 100, "php-fpm8.2", "php-fpm8.2", 33, 100, 1,
                io.spawnwatch.event.FileRecordDescriptor.ACTION_CHMOD,
                io.spawnwatch.event.FileRecordDescriptor.CLASS_WRITABLE, 0755, "/tmp/.cache/x.sh"));
        JsonNode d = document();
        assertEquals("file", d.at("/event/category/0").asText());
        assertEquals("change", d.at("/event/type/0").asText());
        assertEquals("chmod", d.at("/event/action").asText());
        assertEquals("spawnwatch.file", d.at("/event/dataset").asText());
        assertEquals("/tmp/.cache/x.sh", d.at("/file/path").asText());
        assertEquals("x.sh", d.at("/file/name").asText());
        assertEquals("sh", d.at("/file/extension").asText());
        assertEquals("/tmp/.cache", d.at("/file/directory").asText());
        assertEquals("0755", d.at("/file/mode").asText());
        assertEquals("writable", d.at("/spawnwatch/file/class").asText());
        assertEquals("/usr/sbin/php-fpm8.2", d.at("/process/executable").asText());
        assertTrue(d.at("/destination").isMissingNode());
    }

    @Test
    void shouldWriteADnsQueryAsANetworkEventWithItsQuestion() throws Exception {
        byte[] query = {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'a', 'p', 'i', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
            3, 'c', 'o', 'm', 0, 0, 28, 0, 1};
        wrap(TestRecords.dns(200, 100, "php-fpm8.2", "php-fpm8.2", 33, 100, 1, "10.0.0.2", query));
        JsonNode d = document();
        assertEquals("network", d.at("/event/category/0").asText());
        assertEquals("protocol", d.at("/event/type/0").asText());
        assertEquals("dns_query", d.at("/event/action").asText());
        assertEquals("10.0.0.2", d.at("/destination/ip").asText());
        assertEquals(53, d.at("/destination/port").asInt());
        assertEquals("udp", d.at("/network/transport").asText());
        assertEquals("dns", d.at("/network/protocol").asText());
        assertEquals("query", d.at("/dns/type").asText());
        assertEquals("api.example.com", d.at("/dns/question/name").asText());
        assertEquals("AAAA", d.at("/dns/question/type").asText());
        assertTrue(d.at("/source").isMissingNode());
        assertEquals("api.example.com", event.text(io.spawnwatch.event.Field.DESTINATION_HOSTNAME).toString());

        query[2] = (byte) 0x81; // a response, not a query
        wrap(TestRecords.dns(200, 100, "php-fpm8.2", "php-fpm8.2", 33, 100, 1, "10.0.0.2", query));
        d = document();
        assertTrue(d.at("/dns").isMissingNode());
        assertEquals("payload is not a DNS query", d.at("/spawnwatch/dns").asText());
        assertEquals(null, event.text(io.spawnwatch.event.Field.DESTINATION_HOSTNAME));
    }
}
