package io.spawnwatch.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** alerts and events streams: replay, follow, filter, cancel, and slow or stuck subscribers. */
class StreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    private final LogCapture log = new LogCapture();
    private SubscriberHub hub;
    private ControlServer server;
    private LineClient client;

    @BeforeEach
    void start() throws Exception {
        hub = new SubscriberHub(new SubscriberHub.Options(64, 100, 16), clock::get);
        server = ControlServer.start(ControlServer.Options.defaults().withSocket(dir.resolve("sw.sock")),
                new FakeSensorControl(), hub);
        client = new LineClient(server.socket());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        log.close();
    }

    private static byte[] alert(int n) {
        return ("{\"@timestamp\":\"2026-11-27T10:00:0" + (n % 10) + "Z\",\"rule\":{\"name\":\"web-shell-spawn\"},"
                + "\"seq\":" + n + "}\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] event(String name, String category, int n) {
        return ("{\"event\":{\"category\":[\"" + category + "\"]},\"process\":{\"name\":\"" + name + "\",\"pid\":" + n
                + "}}").getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(String line) throws Exception {
        return JSON.readTree(line);
    }

    /** Waits until the hub has {@code n} subscribers (a stream request is set up asynchronously). */
    private void awaitSubscribers(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (hub.subscribers().size() != n) {
            assertTrue(System.currentTimeMillis() < deadline, "subscribers=" + hub.subscribers().size());
            Thread.sleep(5);
        }
    }

    @Test
    void shouldReplayAlertsSinceADurationThenEndWithASummary() throws Exception {
        hub.publishAlert(alert(1));
        clock.addAndGet(3_600_000); // one hour later
        hub.publishAlert(alert(2));
        clock.addAndGet(60_000);
        hub.publishAlert(alert(3));
        client.sendLine("{\"v\":1,\"id\":\"s\",\"cmd\":\"alerts\",\"args\":{\"since\":\"2m\"}}");
        assertEquals("{\"v\":1,\"id\":\"s\",\"stream\":{\"@timestamp\":\"2026-11-27T10:00:02Z\",\"rule\":{\"name\":"
                + "\"web-shell-spawn\"},\"seq\":2}}", client.readLine());
        assertEquals(3, json(client.readLine()).get("stream").get("seq").asInt());
        assertEquals("{\"v\":1,\"id\":\"s\",\"ok\":true,\"result\":{\"end\":\"complete\",\"delivered\":2,"
                + "\"dropped\":0}}", client.readLine());
    }

    @Test
    void shouldReplayEveryAlertInMemoryWithoutSinceOrFollow() throws Exception {
        for (int i = 0; i < 150; i++) {
            hub.publishAlert(alert(i));
        }
        client.sendLine("{\"v\":1,\"id\":1,\"cmd\":\"alerts\"}");
        assertEquals(50, json(client.readLine()).get("stream").get("seq").asInt(), "the history keeps the last 100");
        for (int i = 51; i < 150; i++) {
            assertEquals(i, json(client.readLine()).get("stream").get("seq").asInt());
        }
        assertEquals("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"end\":\"complete\",\"delivered\":100,"
                + "\"dropped\":0}}", client.readLine());
    }

    @Test
    void shouldReplayThenFollowAlertsWithoutGapOrDuplicateUntilCancelled() throws Exception {
        hub.publishAlert(alert(1));
        client.sendLine("{\"v\":1,\"id\":7,\"cmd\":\"alerts\",\"args\":{\"since\":\"1h\",\"follow\":true}}");
        assertEquals(1, json(client.readLine()).get("stream").get("seq").asInt());
        awaitSubscribers(1);
        hub.publishAlert(alert(2));
        hub.publishAlert(alert(3));
        assertEquals(2, json(client.readLine()).get("stream").get("seq").asInt());
        assertEquals(3, json(client.readLine()).get("stream").get("seq").asInt());

        client.sendLine("{\"v\":1,\"id\":8,\"cmd\":\"cancel\",\"args\":{\"stream\":7}}");
        List<String> two = List.of(client.readLine(), client.readLine());
        assertTrue(two.contains("{\"v\":1,\"id\":8,\"ok\":true,\"result\":{\"cancelled\":true}}"), two.toString());
        assertTrue(two.contains("{\"v\":1,\"id\":7,\"ok\":true,\"result\":{\"end\":\"cancelled\",\"delivered\":3,"
                + "\"dropped\":0}}"), two.toString());
        awaitSubscribers(0);
        assertEquals("{\"v\":1,\"id\":9,\"ok\":true,\"result\":{\"cancelled\":false}}",
                client.call("{\"v\":1,\"id\":9,\"cmd\":\"cancel\",\"args\":{\"stream\":7}}"));
    }

    @Test
    void shouldNotLoseOrRepeatAlertsPublishedWhileSubscribing() throws Exception {
        // A history that holds every alert: replay plus queue must account for each one exactly once.
        int total = 20_000;
        SubscriberHub big = new SubscriberHub(new SubscriberHub.Options(64, total, 16));
        try (ControlServer s = ControlServer.start(ControlServer.Options.defaults().withSocket(dir.resolve("b.sock")),
                new FakeSensorControl(), big);
                LineClient c = new LineClient(s.socket())) {
            Thread publisher = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < total; i++) {
                    big.publishAlert(alert(i));
                }
            });
            c.sendLine("{\"v\":1,\"id\":1,\"cmd\":\"alerts\",\"args\":{\"since\":\"1h\",\"follow\":true}}");
            publisher.join();
            List<Integer> seen = new ArrayList<>();
            long dropped = 0;
            String line;
            while ((line = c.pollLine(500)) != null) {
                JsonNode n = json(line);
                if (n.has("stream")) {
                    seen.add(n.get("stream").get("seq").asInt());
                } else {
                    dropped = n.get("notice").get("total").asLong();
                }
            }
            assertEquals(0, seen.getFirst());
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i) > seen.get(i - 1), "out of order or repeated at index " + i);
            }
            assertEquals(total, seen.size() + dropped, "every alert is delivered once or counted as dropped");
            assertEquals(dropped, big.subscribers().getFirst().dropped());
        }
    }

    @Test
    void shouldFollowEventsThatMatchEveryFilter() throws Exception {
        client.sendLine("{\"v\":1,\"id\":\"e\",\"cmd\":\"events\",\"args\":{\"follow\":true,\"filter\":"
                + "[\"process.name=sh\",\"event.category=process\"]}}");
        awaitSubscribers(1);
        hub.publishEvent(event("nginx", "process", 1));
        hub.publishEvent(event("sh", "network", 2));
        hub.publishEvent(event("sh", "process", 3));
        assertEquals("{\"v\":1,\"id\":\"e\",\"stream\":{\"event\":{\"category\":[\"process\"]},\"process\":{\"name\":"
                + "\"sh\",\"pid\":3}}}", client.readLine());
        assertNull(client.pollLine(200));
    }

    @Test
    void shouldPrintRecentEventsWithoutFollow() throws Exception {
        for (int i = 0; i < 20; i++) {
            hub.publishEvent(event(i % 2 == 0 ? "sh" : "curl", "process", i));
        }
        client.sendLine("{\"v\":1,\"id\":1,\"cmd\":\"events\",\"args\":{\"last\":6,\"filter\":[\"process.name!=sh\"]}}");
        assertEquals(15, json(client.readLine()).get("stream").get("process").get("pid").asInt());
        assertEquals(17, json(client.readLine()).get("stream").get("process").get("pid").asInt());
        assertEquals(19, json(client.readLine()).get("stream").get("process").get("pid").asInt());
        assertEquals("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"end\":\"complete\",\"delivered\":3,\"dropped\":0}}",
                client.readLine());
    }

    @Test
    void shouldRejectABadFilterASinceThatIsNoDurationAndLastWithFollow() throws Exception {
        assertEquals("{\"v\":1,\"id\":1,\"error\":{\"code\":\"invalid_argument\",\"message\":\"args.filter: filter"
                        + " 'process.name' is not FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT with an ECS field name, e.g."
                        + " process.name=sh\"}}",
                client.call("{\"v\":1,\"id\":1,\"cmd\":\"events\",\"args\":{\"filter\":[\"process.name\"]}}"));
        assertEquals("{\"v\":1,\"id\":2,\"error\":{\"code\":\"invalid_argument\",\"message\":\"args.since: 'yesterday'"
                        + " is not a duration: use e.g. 30s, 15m, 2h, 1d, 2w or 1h30m\"}}",
                client.call("{\"v\":1,\"id\":2,\"cmd\":\"alerts\",\"args\":{\"since\":\"yesterday\"}}"));
        assertEquals("{\"v\":1,\"id\":3,\"error\":{\"code\":\"invalid_argument\",\"message\":\"args.last applies to"
                        + " recent events only: it cannot be combined with follow\"}}",
                client.call("{\"v\":1,\"id\":3,\"cmd\":\"events\",\"args\":{\"follow\":true,\"last\":3}}"));
        assertEquals("{\"v\":1,\"id\":4,\"error\":{\"code\":\"invalid_argument\",\"message\":\"args.filter must be an"
                        + " array of strings, got a string\"}}",
                client.call("{\"v\":1,\"id\":4,\"cmd\":\"events\",\"args\":{\"filter\":\"process.name=sh\"}}"));
    }

    @Test
    void shouldRefuseASecondActiveStreamWithTheSameId() throws Exception {
        client.sendLine("{\"v\":1,\"id\":1,\"cmd\":\"events\",\"args\":{\"follow\":true}}");
        awaitSubscribers(1);
        assertEquals("{\"v\":1,\"id\":1,\"error\":{\"code\":\"invalid_request\",\"message\":\"id=1 is already used by"
                        + " an active stream on this connection; give each stream its own id\"}}",
                client.call("{\"v\":1,\"id\":1,\"cmd\":\"alerts\",\"args\":{\"follow\":true}}"));
    }

    @Test
    void shouldKeepPublishingPromptlyAndCountDropsWhenAClientNeverReadsItsStream() throws Exception {
        byte[] doc = ("{\"event\":{\"category\":[\"process\"]},\"pad\":\"" + "x".repeat(1000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        try (LineClient stuck = new LineClient(server.socket(), false)) {
            stuck.sendLine("{\"v\":1,\"id\":1,\"cmd\":\"events\",\"args\":{\"follow\":true}}");
            awaitSubscribers(1);
            int published = 200_000; // ~200 MB offered: far beyond the socket buffers and the 64-entry queue
            long worstNanos = 0;
            long start = System.nanoTime();
            for (int i = 0; i < published; i++) {
                long t0 = System.nanoTime();
                hub.publishEvent(doc);
                worstNanos = Math.max(worstNanos, System.nanoTime() - t0);
            }
            long totalMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(totalMillis < 5_000, "publishing took " + totalMillis + " ms");
            // A publish that waited for the client would never return; the bound only absorbs GC and JIT pauses.
            assertTrue(worstNanos < 1_000_000_000L, "one publish took " + worstNanos / 1_000_000 + " ms");

            // The writer thread may be between taking a document and counting it: wait for it to settle.
            SubscriberHub.SubscriberStats s = hub.subscribers().getFirst();
            long deadline = System.currentTimeMillis() + 5000;
            while (s.dropped() + s.delivered() + s.queued() != published && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
                s = hub.subscribers().getFirst();
            }
            assertEquals(published, s.dropped() + s.delivered() + s.queued(),
                    "every event is delivered, queued or counted as dropped");
            assertTrue(s.dropped() > published / 2, "dropped=" + s.dropped());

            // Another client is served meanwhile, and sees the drop count in stats.
            JsonNode stats = json(client.call("{\"v\":1,\"id\":2,\"cmd\":\"stats\"}")).get("result").get("control");
            assertEquals(s.dropped(), stats.get("subscriber_drops").asLong());
            assertEquals(s.dropped(), stats.get("subscribers").get(0).get("dropped").asLong());
            assertEquals("events", stats.get("subscribers").get(0).get("kind").asText());
        }
    }

    @Test
    void shouldSendADropNoticeToASlowSubscriberOnceItCatchesUp() throws Exception {
        SubscriberHub tiny = new SubscriberHub(new SubscriberHub.Options(2, 10, 10));
        try (ControlServer s = ControlServer.start(ControlServer.Options.defaults().withSocket(dir.resolve("t.sock")),
                new FakeSensorControl(), tiny);
                LineClient c = new LineClient(s.socket())) {
            c.sendLine("{\"v\":1,\"id\":1,\"cmd\":\"alerts\",\"args\":{\"follow\":true}}");
            long deadline = System.currentTimeMillis() + 5000;
            while (tiny.subscribers().isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            // Publish a burst faster than any writer: a queue of 2 must overflow.
            for (int i = 0; i < 10_000; i++) {
                tiny.publishAlert(alert(i));
            }
            long delivered = 0;
            long noticed = 0;
            String line;
            while ((line = c.pollLine(500)) != null) {
                JsonNode n = json(line);
                if (n.has("stream")) {
                    delivered++;
                } else {
                    assertEquals("dropped", n.get("notice").get("code").asText());
                    noticed += n.get("notice").get("count").asLong();
                    assertEquals(noticed, n.get("notice").get("total").asLong());
                    assertTrue(n.get("notice").get("message").asText().endsWith(" alerts dropped: this client reads"
                            + " more slowly than the sensor publishes (queue capacity=2, total dropped=" + noticed
                            + ")"), n.toString());
                }
            }
            assertTrue(noticed > 0);
            assertEquals(10_000, delivered + noticed);
        }
    }

    @Test
    void shouldEndFollowedStreamsWithShutdownWhenTheServerCloses() throws Exception {
        client.sendLine("{\"v\":1,\"id\":1,\"cmd\":\"alerts\",\"args\":{\"follow\":true}}");
        awaitSubscribers(1);
        server.close();
        assertEquals("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"end\":\"shutdown\",\"delivered\":0,\"dropped\":0}}",
                client.readLine());
        assertNull(client.readLine());
        assertEquals(0, hub.subscribers().size());
    }

    @Test
    void shouldFinishAReplayForAClientThatClosedItsSendingSideAndEndItsFollowedStreams() throws Exception {
        hub.publishAlert(alert(1));
        client.sendLine("{\"v\":1,\"id\":1,\"cmd\":\"events\",\"args\":{\"follow\":true}}");
        client.sendLine("{\"v\":1,\"id\":2,\"cmd\":\"alerts\"}");
        client.sendLine("{\"v\":1,\"id\":3,\"cmd\":\"status\"}");
        client.shutdownOutput();
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = client.readLine()) != null) {
            lines.add(line);
        }
        assertTrue(lines.contains("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"end\":\"closed\",\"delivered\":0,"
                + "\"dropped\":0}}"), lines.toString());
        assertTrue(lines.contains("{\"v\":1,\"id\":2,\"ok\":true,\"result\":{\"end\":\"complete\",\"delivered\":1,"
                + "\"dropped\":0}}"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("{\"v\":1,\"id\":3,\"ok\":true,")), lines.toString());
        assertEquals(4, lines.size(), lines.toString());
        awaitSubscribers(0);
    }

    @Test
    void shouldUnsubscribeWhenTheClientGoesAway() throws Exception {
        client.sendLine("{\"v\":1,\"id\":1,\"cmd\":\"events\",\"args\":{\"follow\":true}}");
        awaitSubscribers(1);
        client.close();
        awaitSubscribers(0);
        hub.publishEvent(event("sh", "process", 1));
        assertEquals(0, hub.droppedTotal());
    }
}
