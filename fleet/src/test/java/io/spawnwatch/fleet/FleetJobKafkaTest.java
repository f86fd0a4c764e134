package io.spawnwatch.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spawnwatch.kafka.testkit.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet job against a real KRaft broker (a child JVM, {@link KafkaBroker}), fed by three simulated hosts.
 * Windows run on event time, so the tests place candidates in a past 61-minute window and close it with one
 * later candidate instead of waiting an hour.
 */
class FleetJobKafkaTest {
    private static final String DASH = "/usr/bin/dash";
    private static final String NGINX = "/usr/sbin/nginx";
    private static final long MIN = 60_000;

    @TempDir
    static Path tmp;
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(tmp.resolve("broker"));
    }

    @AfterEach
    void killJobs() throws InterruptedException {
        FleetProcess.killAll();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static FleetSettings topics(String prefix) {
        FleetSettings s = FleetSettings.defaults().withTopics(prefix + ".candidates", prefix + ".alerts",
                prefix + ".new-terms").withGrace(Duration.ofMinutes(1)).withNewTermsLearning(Duration.ZERO);
        broker.createTopic(s.candidatesTopic(), 1);
        broker.createTopic(s.alertsTopic(), 1);
        broker.createTopic(s.newTermsTopic(), 1);
        return s;
    }

    private static Properties streams(String appId, Path state) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", broker.bootstrapServers());
        p.setProperty("application.id", appId);
        p.setProperty("state.dir", state.toString());
        p.setProperty("replication.factor", "1");
        return p;
    }

    @Test
    void shouldAlertForAGroupSeenFourTimesOnOneHostAndStayQuietForTwoHostsOrFiveEvents() throws Exception {
        FleetSettings s = topics("t1");
        long t0 = Candidates.pastWindowStart();
        try (FleetJob job = FleetJob.start(streams("fleet-t1", tmp.resolve("state-t1")), s);
                Candidates hosts = new Candidates(broker.bootstrapServers())) {
            for (int i = 0; i < 4; i++) { // A: one host, 4 times -> rare
                hosts.send(s.candidatesTopic(), t0 + (1 + i) * MIN, "web-1", DASH, "/var/www/a", NGINX, "sh -c id");
            }
            hosts.send(s.candidatesTopic(), t0 + 2 * MIN, "web-1", "/usr/bin/curl", "/var/www/b", NGINX, "curl x");
            hosts.send(s.candidatesTopic(), t0 + 3 * MIN, "web-2", "/usr/bin/curl", "/var/www/b", NGINX, "curl x");
            for (int i = 0; i < 5; i++) { // C: one host, 5 times -> routine
                hosts.send(s.candidatesTopic(), t0 + (10 + i) * MIN, "web-3", "/usr/bin/php", "/srv", NGINX,
                        "php -r 1");
            }
            hosts.sendRaw(s.candidatesTopic(), t0 + 20 * MIN, "not json".getBytes(StandardCharsets.UTF_8));
            // Nothing closes before stream time passes end + grace:
            List<JsonNode> early = hosts.readAll(s.alertsTopic(), Duration.ofSeconds(6), Duration.ofSeconds(6), 0);
            assertEquals(List.of(), early, "no alert before the window closes");
            // A later candidate (next window, past the grace) closes the first window.
            hosts.send(s.candidatesTopic(), t0 + 63 * MIN, "web-2", "/usr/bin/ls", "/tmp", NGINX, "ls");

            List<JsonNode> alerts = hosts.readAll(s.alertsTopic(), Duration.ofSeconds(60), Duration.ofSeconds(5), 1);
            assertEquals(1, alerts.size(), "exactly one alert: " + alerts);
            JsonNode a = alerts.getFirst();
            assertEquals("alert", a.at("/event/kind").asText());
            assertEquals(FleetSettings.SEED_RULE_ID, a.at("/rule/id").asText());
            assertEquals(DASH, a.at("/process/executable").asText());
            assertEquals("/var/www/a", a.at("/process/working_directory").asText());
            assertEquals(NGINX, a.at("/process/parent/executable").asText());
            assertEquals("id-web-1", a.at("/host/id").asText());
            assertEquals("agent-web-1", a.at("/agent/id").asText());
            assertEquals(4, a.at("/spawnwatch/fleet/event_count").asLong());
            assertEquals(1, a.at("/spawnwatch/fleet/agent_count").asLong());
            assertEquals(4, a.at("/spawnwatch/fleet/hosts/0/count").asLong());
            assertEquals(Instant.ofEpochMilli(t0).toString(), a.at("/event/start").asText());
            assertEquals(Instant.ofEpochMilli(t0 + 61 * MIN).toString(), a.at("/@timestamp").asText());

            // New terms: one alert per (parent, command line) the fleet had not seen, B's second host included once.
            List<JsonNode> terms = hosts.readAll(s.newTermsTopic(), Duration.ofSeconds(30), Duration.ofSeconds(2), 4);
            List<String> lines = new ArrayList<>();
            terms.forEach(t -> lines.add(t.at("/process/command_line").asText()));
            assertEquals(List.of("sh -c id", "curl x", "php -r 1", "ls"), lines);
            assertEquals(1, job.counters().badCandidates());
            assertEquals(12, job.counters().candidates());
        }
    }

    @Test
    void shouldAlertExactlyOnceWhenKilledAndRestartedMidWindow() throws Exception {
        FleetSettings s = topics("t2");
        long t0 = Candidates.pastWindowStart();
        Path state = tmp.resolve("state-t2");
        try (Candidates hosts = new Candidates(broker.bootstrapServers())) {
            FleetProcess job = FleetProcess.start(s, "fleet-t2", state, tmp.resolve("job-t2.log"));
            hosts.send(s.candidatesTopic(), t0 + MIN, "web-1", DASH, "/var/www/a", NGINX, "sh -c id");
            hosts.send(s.candidatesTopic(), t0 + 2 * MIN, "web-1", DASH, "/var/www/a", NGINX, "sh -c id");
            awaitCommitted("fleet-t2", s.candidatesTopic(), 2, job);
            job.kill(); // SIGKILL mid-window: no orderly commit, no state flush
            // Its local state goes too: the restarted job must rebuild it from the changelog.
            deleteTree(state);

            job = FleetProcess.start(s, "fleet-t2", state, tmp.resolve("job-t2.log"));
            hosts.send(s.candidatesTopic(), t0 + 3 * MIN, "web-1", DASH, "/var/www/a", NGINX, "sh -c id");
            hosts.send(s.candidatesTopic(), t0 + 4 * MIN, "web-1", DASH, "/var/www/a", NGINX, "sh -c id");
            hosts.send(s.candidatesTopic(), t0 + 63 * MIN, "web-2", "/usr/bin/ls", "/tmp", NGINX, "ls");
            List<JsonNode> alerts = hosts.readAll(s.alertsTopic(), Duration.ofSeconds(90), Duration.ofSeconds(3), 1);
            assertEquals(1, alerts.size(), "one alert after the restart: " + alerts);
            assertEquals(4, alerts.getFirst().at("/spawnwatch/fleet/event_count").asLong(),
                    "the two candidates before the kill still count");

            // Killed again right after the alert and restarted: the closed window is not emitted twice.
            awaitCommitted("fleet-t2", s.candidatesTopic(), 5, job);
            job.kill();
            job = FleetProcess.start(s, "fleet-t2", state, tmp.resolve("job-t2.log"));
            hosts.send(s.candidatesTopic(), t0 + 130 * MIN, "web-2", "/usr/bin/ls", "/tmp", NGINX, "ls");
            awaitCommitted("fleet-t2", s.candidatesTopic(), 6, job);
            List<JsonNode> after = hosts.readAll(s.alertsTopic(), Duration.ofSeconds(10), Duration.ofSeconds(3), 1);
            job.stop();
            // The second window held one "ls" from web-2: rare too, so it alerts once; the first is not repeated.
            assertEquals(List.of(4L, 1L), after.stream().map(n -> n.at("/spawnwatch/fleet/event_count").asLong())
                    .toList(), "each window's alert exactly once: " + after);
        }
    }

    /** Waits until the job's consumer group has committed {@code offset} on the topic's partition 0. */
    private static void awaitCommitted(String group, String topic, long offset, FleetProcess job) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (Admin admin = broker.admin()) {
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                OffsetAndMetadata o = committed.get(tp);
                if (o != null && o.offset() >= offset) {
                    return;
                }
                assertTrue(job.isAlive(), "fleet job exited; log:\n" + job.tail());
                Thread.sleep(250);
            }
            long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
            throw new AssertionError("job did not commit offset " + offset + " of " + topic + " (end " + end
                    + ") in 90 s; log:\n" + job.tail());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
