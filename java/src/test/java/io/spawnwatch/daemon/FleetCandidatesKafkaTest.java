package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.OutputConfig;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.kafka.testkit.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real sensor, a fake nginx and a real KRaft broker: what leaves the host through the Kafka output. Every
 * exec that passes the seed rule's selection goes out as a fleet candidate (before rarity: the 5th and later
 * too, which the host's own rarity silences), alerts go to their topic, and a child that is not in the
 * selection (not a shell, or a shell in /) sends no candidate.
 */
@Tag("kernel")
class FleetCandidatesKafkaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEED = "318e95ea-2c21-4272-b1a1-bf07308e812b";

    @TempDir
    Path tmp;

    @Test
    void shouldSendEverySeedCandidateAndTheAlertsToKafka() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("broker"))) {
            broker.createTopic("e2e.alerts", 1);
            broker.createTopic("e2e.candidates", 1);
            SensorConfig defaults = ConfigLoader.defaults();
            SensorConfig config = defaults.withDetection(defaults.detection().withStatePath(null))
                    .withOutputs(List.of(new OutputConfig.Kafka(List.of(broker.bootstrapServers()), null,
                            List.of("alerts", "fleet_candidates"),
                            new OutputConfig.Topics(null, "e2e.alerts", "e2e.candidates"), null, null, null, null,
                            null, null, null, null)));
            try (SensorHarness harness = SensorHarness.start(config);
                    FakeWebServer nginx = new FakeWebServer("nginx")) {
                String dir = nginx.dir.toString();
                // "; true" keeps bash (the fake nginx) from exec'ing the last command in its own place: then
                // sh is nginx's child, as under a real server.
                // One server process runs all six (the repeat-suppression key includes the web server: six
                // runs of the fake server would be six servers). 'id; true': the seed rule's candidate is a shell
                // whose parent is the web server, and dash would exec a lone 'id' in its own place.
                assertEquals(0, nginx.run("for i in 1 2 3 4 5 6; do sh -c 'id; true'; done"));
                assertEquals(0, nginx.run("/bin/true; true"));          // not a shell or a tool
                assertEquals(0, nginx.run("cd / && sh -c 'id; true'; true")); // a shell in /: the rule's filter
                // The sensor has seen the last exec, so every candidate before it was offered.
                harness.await(d -> "exec".equals(text(d, "event.action")) && "/".equals(
                        text(d, "process.working_directory")) && "sh".equals(text(d, "process.name"))
                        && "nginx".equals(text(d, "process.parent.name")), Duration.ofSeconds(15), "sh in /");

                Predicate<JsonNode> ours = d -> "nginx".equals(text(d, "process.parent.name"));
                List<ConsumerRecord<String, byte[]>> candidates = read(broker, "e2e.candidates", 6, ours);
                assertEquals(6, candidates.size(), "six candidates, the silenced ones included");
                for (ConsumerRecord<String, byte[]> r : candidates) {
                    JsonNode d = JSON.readTree(r.value());
                    assertEquals("sh", text(d, "process.name"));
                    assertEquals(dir, text(d, "process.working_directory"));
                    assertEquals("nginx", text(d, "process.parent.name"));
                    assertTrue(text(d, "process.executable").endsWith("/dash"), text(d, "process.executable"));
                    assertEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), text(d, "host.name"));
                    assertEquals(hostKey(), r.key(), "keyed by host");
                    assertEquals(java.time.Instant.parse(text(d, "@timestamp")).toEpochMilli(), r.timestamp(),
                            "record time is @timestamp");
                }
                List<ConsumerRecord<String, byte[]>> alerts = read(broker, "e2e.alerts", 1,
                        ours.and(d -> SEED.equals(text(d, "rule.id"))));
                // The host's own rarity lets 4 through; repeat suppression (10 min) sends the first of them.
                assertEquals(1, alerts.size(), "one alert on this host, its repeats suppressed: " + alerts.size());
                io.spawnwatch.output.SinkStats kafka = harness.sensor().counters().sinks()
                        .get("kafka:" + broker.bootstrapServers());
                assertEquals(0, kafka.dropped(), "nothing dropped: " + kafka);
                assertEquals(0, kafka.errors(), "no error: " + kafka);
                // Every alert of every rule (id under nginx raises others too) and the 6 candidates, all delivered.
                int allAlerts = read(broker, "e2e.alerts", 1, d -> true).size();
                assertEquals(6 + allAlerts, kafka.written(), "6 candidates and " + allAlerts + " alerts: " + kafka);
            }
        }
    }

    private static String hostKey() throws Exception {
        Path id = Path.of("/etc/machine-id");
        if (Files.isReadable(id) && Files.readString(id).strip().matches("[0-9a-f]{32}")) {
            return Files.readString(id).strip();
        }
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    }

    /** Records of partition 0 that match, read until {@code expect} records came and 3 s passed without more. */
    private static List<ConsumerRecord<String, byte[]>> read(KafkaBroker broker, String topic, int expect,
            Predicate<JsonNode> match) throws Exception {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : broker.read(topic, expect, Duration.ofSeconds(3),
                Duration.ofSeconds(45))) {
            if (match.test(JSON.readTree(r.value()))) {
                out.add(r);
            }
        }
        return out;
    }
}
