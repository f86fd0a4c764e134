package io.spawnwatch.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology's rules at their edges, over Kafka Streams' TopologyTestDriver (the same topology, stores and
 * serdes, no broker): the count threshold, late candidates within and past the grace, new terms' history and
 * learning, bad documents. FleetJobKafkaTest runs the same topology on a real broker.
 */
class FleetTopologyTest {
    private static final long MIN = 60_000;
    private static final String DASH = "/usr/bin/dash";
    private static final String NGINX = "/usr/sbin/nginx";

    @TempDir
    Path state;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> in;
    private TestOutputTopic<String, byte[]> alerts;
    private TestOutputTopic<String, byte[]> newTerms;
    private FleetCounters counters;
    private long t0;

    private void start(Duration learning) {
        FleetSettings s = FleetSettings.defaults().withGrace(Duration.ofMinutes(2)).withNewTermsLearning(learning);
        counters = new FleetCounters();
        Properties p = new Properties();
        p.setProperty("application.id", "fleet-topology-test");
        p.setProperty("bootstrap.servers", "unused:9092");
        p.setProperty("state.dir", state.toString());
        Properties all = FleetJob.streamsProperties(p);
        all.setProperty("processing.guarantee", "at_least_once"); // the driver runs one task, in order
        driver = new TopologyTestDriver(FleetTopology.build(s, counters), all);
        in = driver.createInputTopic(s.candidatesTopic(), new StringSerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic(s.alertsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        newTerms = driver.createOutputTopic(s.newTermsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        t0 = Candidates.pastWindowStart();
    }

    @BeforeEach
    void defaults() {
        start(Duration.ZERO);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private void send(long at, String host, String exe, String cmd) {
        in.pipeInput("id-" + host, Candidates.document(at, host, exe, "/var/www", NGINX, cmd), Instant.ofEpochMilli(at));
    }

    private List<JsonNode> read(TestOutputTopic<String, byte[]> topic) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (byte[] v : topic.readValuesToList()) {
            out.add(Candidates.JSON.readTree(v));
        }
        return out;
    }

    private List<String> executables(List<JsonNode> docs) {
        return docs.stream().map(d -> d.at("/process/executable").asText()).toList();
    }

    @Test
    void shouldAlertBelowFiveEventsOnOneAgentOnly() throws Exception {
        for (int i = 0; i < 4; i++) {
            send(t0 + MIN + i, "a", DASH, "sh");          // 4 on one host: rare
            send(t0 + MIN + i, "b", "/usr/bin/php", "php"); // 5 on one host: routine
        }
        send(t0 + 10 * MIN, "b", "/usr/bin/php", "php");
        send(t0 + 11 * MIN, "a", "/usr/bin/perl", "perl");  // 1 on each of two hosts: fleet-wide
        send(t0 + 12 * MIN, "c", "/usr/bin/perl", "perl");
        assertEquals(List.of(), read(alerts), "nothing before the window closes");
        send(t0 + 61 * MIN + 2 * MIN, "c", "/usr/bin/ls", "ls"); // end + grace: closes the first window
        List<JsonNode> got = read(alerts);
        assertEquals(List.of(DASH), executables(got));
        assertEquals(4, got.getFirst().at("/spawnwatch/fleet/event_count").asLong());
        assertEquals("id-a", got.getFirst().at("/host/id").asText());
    }

    @Test
    void shouldCountALateCandidateWithinTheGraceAndDropOnePastIt() throws Exception {
        for (int i = 0; i < 4; i++) {
            send(t0 + MIN + i, "a", DASH, "sh");
        }
        send(t0 + 61 * MIN + MIN, "c", "/usr/bin/ls", "ls"); // past the end, inside the grace
        send(t0 + 30 * MIN, "a", DASH, "sh");              // late, still counted: now 5, routine
        send(t0 + 63 * MIN, "c", "/usr/bin/ls", "ls");     // closes the first window
        assertEquals(List.of(), read(alerts), "the late fifth made it routine");

        for (int i = 0; i < 4; i++) {
            send(t0 + 62 * MIN + i, "a", DASH, "sh");        // second window: 4 on one host
        }
        send(t0 + 123 * MIN + MIN, "c", "/usr/bin/ls", "ls"); // past end (122) + grace (2): closes it
        send(t0 + 70 * MIN, "a", DASH, "sh");              // too late for a closed window: dropped
        assertEquals(List.of(DASH, "/usr/bin/ls"), executables(read(alerts)),
                "the second window alerts with 4 (and its single ls), the late one changes nothing");
    }

    @Test
    void shouldReportANewCommandLineOnceIn7DaysFleetWide() throws Exception {
        send(t0, "a", DASH, "sh -c id");
        send(t0 + MIN, "b", DASH, "sh -c id");                   // another host, same pair: not new
        send(t0 + Duration.ofDays(3).toMillis(), "a", DASH, "sh -c id"); // seen 3 days ago: not new
        send(t0 + Duration.ofDays(11).toMillis(), "c", DASH, "sh -c id"); // 8 days after the last: new again
        List<JsonNode> got = read(newTerms);
        assertEquals(2, got.size());
        assertEquals("id-a", got.get(0).at("/host/id").asText());
        assertEquals("id-c", got.get(1).at("/host/id").asText());
        assertEquals(List.of("sh -c id", "sh -c id"), got.stream().map(d -> d.at("/process/command_line").asText())
                .toList());
    }

    @Test
    void shouldLearnWithoutNewTermsAlertsDuringTheLearningPeriod() throws Exception {
        close();
        start(Duration.ofDays(7));
        send(t0, "a", DASH, "sh -c id");
        send(t0 + Duration.ofDays(6).toMillis(), "a", DASH, "sh -c whoami");
        send(t0 + Duration.ofDays(6).toMillis(), "a", DASH, "sh -c id");
        send(t0 + Duration.ofDays(8).toMillis(), "a", DASH, "sh -c id");     // seen 2 days ago, in learning
        send(t0 + Duration.ofDays(8).toMillis(), "a", DASH, "sh -c uname");  // new after learning
        assertEquals(List.of("sh -c uname"), read(newTerms).stream()
                .map(d -> d.at("/process/command_line").asText()).toList());
    }

    @Test
    void shouldCountAndSkipDocumentsThatAreNotCandidates() throws Exception {
        in.pipeInput("x", "not json".getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(t0));
        in.pipeInput("x", "{\"host\":{\"id\":\"h\"}}".getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(t0));
        in.pipeInput("x", "{\"@timestamp\":\"2026-11-30T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8),
                Instant.ofEpochMilli(t0));
        send(t0, "a", DASH, "sh");
        assertEquals(3, counters.badCandidates());
        assertEquals(1, counters.candidates());
    }
}
