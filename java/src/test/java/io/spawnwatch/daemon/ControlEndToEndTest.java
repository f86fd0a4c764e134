package io.spawnwatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spawnwatch.cli.CliRun;
import io.spawnwatch.cli.Main;
import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.kernel.KernelTestSupport;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CLI against a real running daemon over its real socket: each change
 * must reach the kernel filter or the rule engine live.
 */
@Tag("kernel")
class ControlEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUSPICIOUS_CHILD_PROCESS = "c903906e-993c-4f94-895a-ad73f7c2c7ee";

    @TempDir
    Path dir;
    private Daemon daemon;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();


    @BeforeEach
    void start() throws Exception {
        KernelTestSupport.requireKernel();
        Files.createDirectory(dir.resolve("rules.d"));
        SensorConfig d = ConfigLoader.defaults();
        SensorConfig config = d.withDetection(d.detection().withStatePath(null))
                .withIncidents(d.incidents().withPath(null))
                .withRules(new SensorConfig.Rules(true, List.of(dir.resolve("rules.d").toString()),
                        dir.resolve("exceptions.yml").toString()));
        daemon = Daemon.start(new Daemon.Options(config, null, List.of(new LineSink(line -> {
            synchronized (output) {
                output.writeBytes(line);
            }
        })), dir.resolve("sw.sock")));
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void shouldReportHooksRulesAndDropsInStatus() throws Exception {
        CliRun r = CliRun.against(daemon.socket(), "status", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode s = JSON.readTree(r.out());
        assertEquals(16, s.path("rules_loaded").asInt());
        assertEquals(0, s.path("drops").path("kernel").asLong());
        boolean connect = false;
        for (JsonNode h : s.path("hooks")) {
            if (h.path("probe").asText().equals("connect")) {
                connect = true;
                assertEquals(daemon.sensor().probes().connectHook(), h.path("hook").asText());
            }
        }
        assertTrue(connect, r.out());
    }

    @Test
    void shouldCatchANewWebServerNameLiveAndForgetItWhenRemoved() throws Exception {
        assertEquals(0, CliRun.against(daemon.socket(), "webservers", "add", "sw-live").code());
        assertTrue(CliRun.against(daemon.socket(), "webservers", "list").out().contains("sw-live"));
        String seen = "a" + UUID.randomUUID().toString().substring(0, 8);
        try (FakeWebServer live = new FakeWebServer("sw-live")) {
            live.run("sh -c 'echo " + seen + " >/dev/null'");
            awaitOutput(seen);

            CliRun removed = CliRun.against(daemon.socket(), "webservers", "remove", "sw-live");
            assertEquals(0, removed.code(), removed.err());
            String unseen = "b" + UUID.randomUUID().toString().substring(0, 8);
            live.run("sh -c 'echo " + unseen + " >/dev/null'");
            sentinel();
            assertFalse(outputText().contains(unseen), "a removed name is still followed");
        }
        assertEquals(1, CliRun.against(daemon.socket(), "webservers", "remove", "sw-live").code(), "removing twice is an error");
    }

    @Test
    void shouldStopAndResumeAlertingWhenARuleIsDisabledAndEnabled() throws Exception {
        assertEquals(0, CliRun.against(daemon.socket(), "rules", "disable", SUSPICIOUS_CHILD_PROCESS).code());
        String first = "c" + UUID.randomUUID().toString().substring(0, 8);
        unameUnderNginx(first);
        sentinel();
        assertFalse(alertFor(SUSPICIOUS_CHILD_PROCESS, first), "a disabled rule alerted");

        assertEquals(0, CliRun.against(daemon.socket(), "rules", "enable", SUSPICIOUS_CHILD_PROCESS).code());
        String second = "d" + UUID.randomUUID().toString().substring(0, 8);
        unameUnderNginx(second);
        awaitAlert(SUSPICIOUS_CHILD_PROCESS, second);
    }

    @Test
    void shouldKeepTheRunningRulesWhenAReloadedFileIsBroken() throws Exception {
        Files.writeString(dir.resolve("rules.d/broken.yml"), """
                title: Broken
                id: 6d1c2b1e-0000-4000-8000-000000000001
                logsource: {product: linux, category: process_creation}
                detection:
                    sel:
                        Image|nosuchmodifier: /x
                    condition: sel
                """);
        CliRun r = CliRun.against(daemon.socket(), "rules", "reload");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("broken.yml"), r.err());
        assertTrue(r.err().contains("nosuchmodifier"), r.err());
        assertEquals(16, JSON.readTree(CliRun.against(daemon.socket(), "status", "--json").out()).path("rules_loaded").asInt());

        Files.delete(dir.resolve("rules.d/broken.yml"));
        assertEquals(0, CliRun.against(daemon.socket(), "rules", "reload").code());
    }

    @Test
    void shouldSuppressAlertsWithAPersistedExceptionUntilItIsRemoved() throws Exception {
        String marker = "e" + UUID.randomUUID().toString().substring(0, 8);
        CliRun added = CliRun.against(daemon.socket(), "exceptions", "add", "--rule", SUSPICIOUS_CHILD_PROCESS, "--match",
                "process.command_line=uname -a " + marker, "--comment", "test", "--json");
        assertEquals(0, added.code(), added.err());
        String id = JSON.readTree(added.out()).path("id").asText();
        assertTrue(Files.readString(dir.resolve("exceptions.yml")).contains(id));

        unameUnderNginx(marker);
        sentinel();
        assertFalse(alertFor(SUSPICIOUS_CHILD_PROCESS, marker), "the exception did not suppress");

        assertEquals(0, CliRun.against(daemon.socket(), "exceptions", "remove", id).code());
        assertFalse(Files.readString(dir.resolve("exceptions.yml")).contains(id));
        unameUnderNginx(marker);
        awaitAlert(SUSPICIOUS_CHILD_PROCESS, marker);
    }

    @Test
    void shouldStreamAlertsToAFollowingClientUntilTheSensorStops() throws Exception {
        StringWriter streamed = new StringWriter();
        StringWriter followerErr = new StringWriter();
        int[] code = {-1};
        Thread follower = new Thread(() -> {
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(streamed, true));
            cl.setErr(new PrintWriter(followerErr, true));
            code[0] = cl.execute("alerts", "--follow", "--json", "--socket", daemon.socket().toString());
        });
        follower.start();
        Thread.sleep(300); // let it subscribe
        String marker = "f" + UUID.randomUUID().toString().substring(0, 8);
        unameUnderNginx(marker);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!streamed.toString().contains(marker)) {
            assertTrue(System.nanoTime() < deadline, "no streamed alert; got: " + streamed + " err: " + followerErr
                    + " code: " + code[0] + " sensor output: " + outputText());
            Thread.sleep(50);
        }
        String line = streamed.toString().lines().filter(l -> l.contains(marker)).findFirst().orElseThrow();
        JsonNode alert = JSON.readTree(line);
        assertEquals("alert", alert.path("event").path("kind").asText(), line);
        daemon.close();
        daemon = null;
        follower.join(10_000);
        assertFalse(follower.isAlive(), "the stream ends when the sensor stops");
        assertEquals(0, code[0]);
    }

    @Test
    void shouldAnswerGarbageAndOversizedLinesWithTheirOwnErrorsAndKeepServing() throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()));
                BufferedReader in = new BufferedReader(Channels.newReader(ch, StandardCharsets.UTF_8))) {
            send(ch, "this is not json\n");
            assertEquals("malformed_json", JSON.readTree(in.readLine()).path("error").path("code").asText());
            send(ch, "{\"v\":1,\"id\":2,\"cmd\":\"" + "x".repeat(100_000) + "\"}\n");
            assertEquals("line_too_long", JSON.readTree(in.readLine()).path("error").path("code").asText());
            send(ch, "{\"v\":1,\"id\":3,\"cmd\":\"no-such-command\"}\n");
            assertEquals("unknown_command", JSON.readTree(in.readLine()).path("error").path("code").asText());
            send(ch, "{\"v\":1,\"id\":4,\"cmd\":\"status\"}\n");
            JsonNode ok = JSON.readTree(in.readLine());
            assertEquals(4, ok.path("id").asInt());
            assertEquals(16, ok.path("result").path("rules_loaded").asInt());
        }
    }

    @Test
    void shouldServeFiftyConcurrentClients() throws Exception {
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < 50; i++) {
            Thread t = new Thread(() -> {
                if (CliRun.against(daemon.socket(), "status", "--json").code() == 0) {
                    ok.incrementAndGet();
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertEquals(50, ok.get());
    }

    @Test
    void shouldNeverBlockOnAClientThatDoesNotReadItsStream() throws Exception {
        try (SocketChannel stuck = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()))) {
            send(stuck, "{\"v\":1,\"id\":1,\"cmd\":\"events\",\"args\":{\"follow\":true}}\n");
            Thread.sleep(300);
            // More events than its queue holds (4096) while the client reads nothing: the sensor
            // keeps up, the client's queue overflows into its own drop count.
            try (FakeWebServer nginx = new FakeWebServer("nginx")) {
                // '; true': the loop's execs must be children of the fake server, not replace it.
                nginx.run("for i in $(seq 1 5000); do /bin/true; done; true");
            }
            sentinel();
            JsonNode stats = JSON.readTree(CliRun.against(daemon.socket(), "stats", "--json").out());
            long dropped = stats.path("sinks").path("subscribers").path("dropped_total").asLong();
            assertTrue(dropped > 0, "the stuck client's queue should have overflowed: " + stats.path("sinks"));
            JsonNode status = JSON.readTree(CliRun.against(daemon.socket(), "status", "--json").out());
            assertEquals(0, status.path("drops").path("kernel").asLong(), "the kernel lost nothing");
        }
    }

    private static void send(SocketChannel ch, String text) throws java.io.IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    // --- helpers ---

    private void unameUnderNginx(String marker) throws Exception {
        try (FakeWebServer nginx = new FakeWebServer("nginx")) {
            nginx.run("uname -a " + marker + " >/dev/null 2>&1");
        }
    }

    /** Waits until a later web-server event is out, so that anything before it is too. */
    private void sentinel() throws Exception {
        String s = "s" + UUID.randomUUID().toString().substring(0, 8);
        try (FakeWebServer nginx = new FakeWebServer("nginx")) {
            nginx.run("sh -c 'echo " + s + " >/dev/null'");
        }
        awaitOutput(s);
    }

    private boolean alertFor(String ruleId, String marker) throws Exception {
        for (String line : outputText().split("\n")) {
            if (line.contains(marker) && line.contains("\"kind\":\"alert\"") && line.contains(ruleId)) {
                return true;
            }
        }
        return false;
    }

    private void awaitAlert(String ruleId, String marker) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!alertFor(ruleId, marker)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no alert " + ruleId + " for " + marker + " in:\n" + outputText());
            }
            Thread.sleep(50);
        }
    }

    private void awaitOutput(String marker) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!outputText().contains(marker)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no output with " + marker);
            }
            Thread.sleep(50);
        }
    }

    private String outputText() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }
}
