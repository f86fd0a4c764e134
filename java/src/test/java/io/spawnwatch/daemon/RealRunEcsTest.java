package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.ecs.EcsSchema;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The documents of a real run (the real BPF object; a fake nginx made of
 * bash, and Debian's nginx + php-fpm with a PHP web shell) checked against
 * ECS's published field definitions, as EcsSchemaTest checks synthetic ones:
 * every event and alert, exec and connect. Also what the unit tests cannot
 * show: a child's process.parent.entity_id is the id its parent's own
 * document carries, and host/agent identify the real host.
 */
@Tag("kernel")
class RealRunEcsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final EcsSchema ECS = EcsSchema.load();

    @Test
    void shouldWriteOnlyValidEcsForARealRunOfFakeAndRealWebServers() throws Exception {
        SensorConfig defaults = ConfigLoader.defaults();
        // Loopback counts as external, so that the connections below raise network alerts too.
        SensorConfig config = defaults.withDetection(defaults.detection().withStatePath(null)
                .withInternalRanges(List.of()).withLoopbackRanges(List.of()));
        String marker = "e" + UUID.randomUUID().toString().substring(0, 8);
        try (SensorHarness harness = SensorHarness.start(config);
                ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                FakeWebServer fake = new FakeWebServer("nginx")) {
            WebShellAlertsTest.acceptForever(listener);
            int port = listener.getLocalPort();
            // The fake server: a loop of shells (so bash does not exec its last command in place), a payload
            // from /tmp, and a connection through bash's /dev/tcp.
            fake.run("for c in 'id' 'uname -a' '" + fake.payload + " " + marker + "'; do sh -c \"$c\"; done;"
                    + " exec 3<>/dev/tcp/127.0.0.1/" + port);
            harness.await(d -> "exec".equals(text(d, "event.action"))
                    && String.valueOf(text(d, "process.command_line")).contains(marker), WAIT, "the fake payload");
            harness.await(d -> Integer.toString(port).equals(text(d, "destination.port")), WAIT, "fake connect");

            try (RealWebServers web = new RealWebServers()) {
                web.shell("id; echo " + marker);
                web.shell("curl -s -m 2 http://127.0.0.1:" + port + "/ || true");
                harness.await(d -> "curl".equals(text(d, "process.name")) && "exec".equals(text(d, "event.action")),
                        WAIT, "curl from PHP");
                harness.await(d -> "alert".equals(text(d, "event.kind"))
                        && "sh".equals(text(d, "process.name"))
                        && String.valueOf(text(d, "process.command_line")).contains(marker), WAIT, "an alert");
            }

            List<JsonNode> docs = harness.seen();
            List<String> problems = new ArrayList<>();
            int alerts = 0;
            int connects = 0;
            for (JsonNode d : docs) {
                for (String v : ECS.violations(d)) {
                    problems.add(v + " in " + d);
                }
                alerts += "alert".equals(text(d, "event.kind")) ? 1 : 0;
                connects += "connection_attempted".equals(text(d, "event.action")) ? 1 : 0;
            }
            assertEquals(List.of(), problems);
            assertTrue(alerts > 0 && connects > 0, "alerts=" + alerts + " connects=" + connects);

            // The real host: host.id is /etc/machine-id, every document the same host and agent.
            String machineId = java.nio.file.Files.readString(java.nio.file.Path.of("/etc/machine-id")).strip();
            for (JsonNode d : docs) {
                assertEquals(machineId, text(d, "host.id"));
                assertEquals("linux", text(d, "host.os.type"));
                assertEquals(text(docs.getFirst(), "agent.id"), text(d, "agent.id"));
                if ("alert".equals(text(d, "event.kind"))) {
                    assertTrue(String.valueOf(text(d, "message")).startsWith(text(d, "rule.name") + ": "),
                            d.toString());
                }
            }
            // Entity ids: a parent's own exec document carries the id its children name.
            Map<String, String> byPid = new HashMap<>();
            for (JsonNode d : docs) {
                if ("exec".equals(text(d, "event.action")) && text(d, "process.entity_id") != null) {
                    byPid.put(text(d, "process.pid") + "/" + text(d, "process.start"), text(d, "process.entity_id"));
                }
            }
            int linked = 0;
            for (JsonNode d : docs) {
                String parent = text(d, "process.parent.entity_id");
                String key = text(d, "process.parent.pid") + "/" + text(d, "process.parent.start");
                if (parent != null && byPid.containsKey(key)) {
                    assertEquals(byPid.get(key), parent, d.toString());
                    linked++;
                }
            }
            assertTrue(linked > 0, "no child document named a parent whose own document was seen");
        }
    }
}
