package io.spawnwatch.output.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.kafka.testkit.KafkaBroker;
import io.spawnwatch.output.Document;
import io.spawnwatch.output.DocumentKind;
import io.spawnwatch.output.SinkStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka sink against a real KRaft broker ({@link KafkaBroker}: Apache Kafka's server in a child JVM on
 * 127.0.0.1), restarted under it: nothing lost while the producer's buffer holds, drops counted when it does not,
 * and one clear line for a missing topic, a broker that does not answer and a wrong password.
 */
class KafkaSinkTest {
    private static final String HOST = "3f2c1e0d9b8a47a6b5c4d3e2f1a0b9c8";

    @TempDir
    static Path tmp;
    static KafkaBroker broker;

    /** Held: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    static final Logger KAFKA_LOGS = Logger.getLogger("org.apache.kafka");

    @BeforeAll
    static void startBroker() {
        KAFKA_LOGS.setLevel(java.util.logging.Level.WARNING); // not every client's config dump
        broker = KafkaBroker.start(tmp.resolve("broker"));
        broker.createTopic("t.alerts", 1);
        broker.createTopic("t.events", 1);
        broker.createTopic("t.overflow", 1);
        broker.createTopic("t.sasl", 1);
        broker.createTopic("t.tls", 1);
        broker.createTopic("t.scram", 1);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static KafkaOutputSettings settings(String servers, Map<DocumentKind, String> topics, int queue,
            long bufferBytes, Duration maxBlock, KafkaOutputSettings.Sasl sasl) {
        return tlsSettings(servers, topics, queue, bufferBytes, maxBlock, sasl, null);
    }

    private static KafkaOutputSettings tlsSettings(String servers, Map<DocumentKind, String> topics, int queue,
            long bufferBytes, Duration maxBlock, KafkaOutputSettings.Sasl sasl, KafkaOutputSettings.Tls tls) {
        return new KafkaOutputSettings("outputs[0]", servers, "spawnwatch-test", topics, queue, bufferBytes,
                Duration.ofMinutes(5), maxBlock, "lz4", tls, sasl, Map.of());
    }

    private static Document doc(DocumentKind kind, int seq, int padding) {
        long nanos = 1_764_000_000_000_000_000L + seq * 1_000_000L;
        String line = "{\"seq\":" + seq + ",\"pad\":\"" + "x".repeat(padding) + "\"}\n";
        return new Document(kind, line.getBytes(StandardCharsets.UTF_8), 0, 0, nanos);
    }

    @Test
    void shouldDeliverEveryDocumentOnceWhileTheBrokerRestarts() throws Exception {
        Map<DocumentKind, String> topics = Map.of(DocumentKind.ALERT, "t.alerts", DocumentKind.EVENT, "t.events");
        KafkaSink sink = new KafkaSink(settings(broker.bootstrapServers(), topics, 10_000, 32 << 20,
                Duration.ofSeconds(60), null), HOST);
        try {
            int seq = 0;
            for (; seq < 300; seq++) {
                sink.offer(doc(seq % 3 == 0 ? DocumentKind.ALERT : DocumentKind.EVENT, seq, 100));
            }
            await(() -> sink.acknowledged() == 300, Duration.ofSeconds(60), "first 300 acknowledged", sink);
            broker.stop();
            for (; seq < 600; seq++) { // the broker is down: the producer's buffer holds them
                sink.offer(doc(seq % 3 == 0 ? DocumentKind.ALERT : DocumentKind.EVENT, seq, 100));
            }
            Thread.sleep(1500);
            assertEquals(300, sink.acknowledged(), "nothing acknowledged while the broker is down");
            broker.restart();
            for (; seq < 900; seq++) {
                sink.offer(doc(seq % 3 == 0 ? DocumentKind.ALERT : DocumentKind.EVENT, seq, 100));
            }
            await(() -> sink.acknowledged() == 900, Duration.ofSeconds(90), "all 900 acknowledged", sink);
        } finally {
            sink.close();
        }
        assertEquals(new SinkStats(900, 900, 0, 0, 0), sink.stats());
        assertEquals(0, sink.undelivered());
        List<ConsumerRecord<String, byte[]>> alerts = readAll("t.alerts", 300);
        List<ConsumerRecord<String, byte[]>> events = readAll("t.events", 600);
        Set<Integer> seen = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : concat(alerts, events)) {
            assertEquals(HOST, r.key(), "keyed by host");
            int s = seqOf(r.value());
            assertTrue(seen.add(s), "no duplicate: " + s);
            assertEquals(1_764_000_000_000L + s, r.timestamp(), "record time is @timestamp");
            assertEquals(s % 3 == 0 ? "t.alerts" : "t.events", r.topic());
        }
        assertEquals(900, seen.size());
    }

    @Test
    void shouldCountWhatDoesNotFitWhileTheBrokerIsDown() throws Exception {
        // 1 MiB of producer buffer and 50 queued documents; 2000 documents of 2 KiB (4 MiB) while the broker is down.
        Map<DocumentKind, String> topics = Map.of(DocumentKind.ALERT, "t.overflow");
        KafkaSink sink = new KafkaSink(settings(broker.bootstrapServers(), topics, 50, 1 << 20,
                Duration.ofSeconds(2), null), HOST);
        int offered = 2001;
        try {
            sink.offer(doc(DocumentKind.ALERT, 0, 2048));
            await(() -> sink.acknowledged() == 1, Duration.ofSeconds(60), "first acknowledged", sink);
            broker.stop();
            for (int seq = 1; seq < offered; seq++) {
                sink.offer(doc(DocumentKind.ALERT, seq, 2048));
            }
            await(() -> sink.stats().dropped() > 0, Duration.ofSeconds(30), "queue overflow", sink);
            broker.restart();
            await(() -> sink.stats().queued() == 0 && sink.inFlight() == 0, Duration.ofSeconds(90),
                    "everything settled", sink);
        } finally {
            sink.close();
        }
        SinkStats s = sink.stats();
        assertTrue(s.dropped() > 0, "the overflow is counted as dropped: " + s);
        assertEquals(0, sink.undelivered(), "what the producer took it delivered after the restart");
        assertEquals(sink.acknowledged(), readAll("t.overflow", (int) sink.acknowledged()).size(),
                "what was acknowledged is in the topic");
        // Every document is accounted for: delivered, dropped at the full queue, or refused by the producer's
        // full buffer after max.block.ms (an error of the writer).
        assertEquals(offered, s.offered());
        assertEquals(s.offered(), sink.acknowledged() + s.dropped() + s.errors(), "accounting: " + s);
    }

    @Test
    void shouldSayWhenATopicDoesNotExist() throws Exception {
        try (Captured log = new Captured()) {
            KafkaSink sink = new KafkaSink(settings(broker.bootstrapServers(),
                    Map.of(DocumentKind.ALERT, "t.nope"), 10, 1 << 20, Duration.ofSeconds(3), null), HOST);
            try {
                String line = log.await("does not exist", Duration.ofSeconds(30));
                assertEquals("WARNING kafka:" + broker.bootstrapServers() + ": topic t.nope does not exist at "
                        + broker.bootstrapServers() + " (or this principal may not describe them): create them or"
                        + " set outputs[0].topics; documents for them are retried, then counted as undelivered",
                        line);
            } finally {
                sink.close();
            }
        }
    }

    @Test
    void shouldSayWhenNoBrokerAnswers() throws Exception {
        String nobody = "127.0.0.1:" + unusedPort();
        try (Captured log = new Captured()) {
            KafkaSink sink = new KafkaSink(settings(nobody, Map.of(DocumentKind.ALERT, "t.alerts"), 10, 1 << 20,
                    Duration.ofSeconds(2), null), HOST);
            try {
                String line = log.await("no answer", Duration.ofSeconds(30));
                assertEquals("WARNING kafka:" + nobody + ": no answer from " + nobody + " in 2000 ms"
                        + " (outputs[0].bootstrap_servers): brokers down or unreachable? documents are buffered"
                        + " (buffer.memory=1048576 bytes) and retried for delivery.timeout.ms=300000", line);
            } finally {
                sink.close();
            }
        }
    }

    @Test
    void shouldSayWhenThePasswordIsWrongAndDeliverWithTheRightOne() throws Exception {
        Path wrong = Files.writeString(tmp.resolve("wrong-password"), "not-the-password\n");
        Path right = Files.writeString(tmp.resolve("right-password"), KafkaBroker.SASL_PASSWORD + "\n");
        Map<DocumentKind, String> topics = Map.of(DocumentKind.ALERT, "t.sasl");
        try (Captured log = new Captured()) {
            KafkaSink bad = new KafkaSink(settings(broker.saslBootstrapServers(), topics, 10, 1 << 20,
                    Duration.ofSeconds(5), new KafkaOutputSettings.Sasl("PLAIN", KafkaBroker.SASL_USER, wrong)), HOST);
            try {
                String line = log.await("authentication failed", Duration.ofSeconds(30));
                assertTrue(line.startsWith("WARNING kafka:" + broker.saslBootstrapServers() + ": authentication failed at "
                        + broker.saslBootstrapServers() + " (outputs[0].sasl: mechanism PLAIN, username spawnwatch):"
                        + " check the username and password_file: "), line);
            } finally {
                bad.close();
            }
        }
        KafkaSink good = new KafkaSink(settings(broker.saslBootstrapServers(), topics, 10, 1 << 20,
                Duration.ofSeconds(30), new KafkaOutputSettings.Sasl("PLAIN", KafkaBroker.SASL_USER, right)), HOST);
        try {
            good.offer(doc(DocumentKind.ALERT, 7, 10));
            await(() -> good.acknowledged() == 1, Duration.ofSeconds(60), "delivered over SASL", good);
        } finally {
            good.close();
        }
        assertEquals(List.of(7), readAll("t.sasl", 1).stream().map(r -> seqOf(r.value())).toList());
    }

    @Test
    void shouldDeliverWithScramSha512() throws Exception {
        broker.addScramUser("scram-sensor", "scram-password");
        Path pw = Files.writeString(tmp.resolve("scram-password"), "scram-password\n");
        Map<DocumentKind, String> topics = Map.of(DocumentKind.ALERT, "t.scram");
        KafkaSink sink = new KafkaSink(settings(broker.saslBootstrapServers(), topics, 10, 1 << 20,
                Duration.ofSeconds(30), new KafkaOutputSettings.Sasl("SCRAM-SHA-512", "scram-sensor", pw)), HOST);
        try {
            sink.offer(doc(DocumentKind.ALERT, 11, 10));
            await(() -> sink.acknowledged() == 1, Duration.ofSeconds(60), "delivered over SCRAM", sink);
        } finally {
            sink.close();
        }
        assertEquals(List.of(11), readAll("t.scram", 1).stream().map(r -> seqOf(r.value())).toList());
    }

    @Test
    void shouldDeliverOverTlsWithTheRightCaAndSayWhenTheCaIsWrong() throws Exception {
        Map<DocumentKind, String> topics = Map.of(DocumentKind.ALERT, "t.tls");
        Path wrongCa = KafkaBroker.selfSignedPem(tmp, "other-ca");
        try (Captured log = new Captured()) {
            KafkaSink bad = new KafkaSink(tlsSettings(broker.tlsBootstrapServers(), topics, 10, 1 << 20,
                    Duration.ofSeconds(5), null, new KafkaOutputSettings.Tls(wrongCa, null, true)), HOST);
            try {
                String line = log.await("TLS handshake failed", Duration.ofSeconds(30));
                assertTrue(line.startsWith("WARNING kafka:" + broker.tlsBootstrapServers() + ": TLS handshake failed"
                        + " with " + broker.tlsBootstrapServers() + " (outputs[0].tls: check ca_file,"
                        + " client_pem_file and verify_hostname): "), line);
            } finally {
                bad.close();
            }
        }
        KafkaSink good = new KafkaSink(tlsSettings(broker.tlsBootstrapServers(), topics, 10, 1 << 20,
                Duration.ofSeconds(30), null, new KafkaOutputSettings.Tls(broker.caPem(), null, true)), HOST);
        try {
            good.offer(doc(DocumentKind.ALERT, 9, 10));
            await(() -> good.acknowledged() == 1, Duration.ofSeconds(60), "delivered over TLS", good);
        } finally {
            good.close();
        }
        assertEquals(List.of(9), readAll("t.tls", 1).stream().map(r -> seqOf(r.value())).toList());
    }

    private static int seqOf(byte[] json) {
        String s = new String(json, StandardCharsets.UTF_8);
        int i = s.indexOf("\"seq\":") + 6;
        return Integer.parseInt(s.substring(i, s.indexOf(',', i)));
    }

    private static List<ConsumerRecord<String, byte[]>> concat(List<ConsumerRecord<String, byte[]>> a,
            List<ConsumerRecord<String, byte[]>> b) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Every record of partition 0, read until {@code expect} arrived and 2 s passed without more. */
    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expect) {
        return broker.read(topic, expect, Duration.ofSeconds(2), Duration.ofSeconds(60));
    }

    private static void await(BooleanSupplier done, Duration atMost, String what, KafkaSink sink)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not after " + atMost.toSeconds() + " s; " + sink.stats()
                        + " acknowledged=" + sink.acknowledged() + " undelivered=" + sink.undelivered()
                        + "; broker log:\n" + broker.tail());
            }
            Thread.sleep(50);
        }
    }

    private static int unusedPort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The sink's log lines ("LEVEL message"). */
    private static final class Captured extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger("io.spawnwatch.output");
        private final List<String> lines = new CopyOnWriteArrayList<>();

        Captured() {
            logger.addHandler(this);
        }

        String await(String containing, Duration atMost) throws InterruptedException {
            long deadline = System.nanoTime() + atMost.toNanos();
            while (System.nanoTime() < deadline) {
                for (String l : lines) {
                    if (l.contains(containing)) {
                        return l;
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no log line with '" + containing + "' in " + atMost.toSeconds() + " s: " + lines);
        }

        @Override
        public void publish(LogRecord r) {
            lines.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
