package io.spawnwatch.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spawnwatch.fleet.FleetJob;
import io.spawnwatch.fleet.FleetSettings;
import io.spawnwatch.kafka.testkit.KafkaBroker;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The fleet job measured against a real KRaft broker on 127.0.0.1 (a child JVM: its CPU is not counted here):
 *
 * <ol>
 *   <li><b>Throughput</b>: a fleet stream (H hosts, N candidates over 6 hours of event time: a few hundred routine
 *       groups every host runs, Zipf-distributed, and rare groups on one host each) is generated with a fixed
 *       seed, recorded to a file, and replayed into the candidates topic. The job (1 stream thread,
 *       exactly_once_v2, RocksDB stores) then processes it from the start. Reported: candidates per second of
 *       wall time between its first and last commit, and per second of this JVM's CPU time over the same span
 *       (the job is the only thing running in it then): events/s per core.</li>
 *   <li><b>Delay</b>: with the job caught up, K times: one candidate of a new rare group in a fresh window, then
 *       one candidate past that window's end + grace (what closes it); the delay is from sending the closing
 *       candidate to reading the alert (read_committed) in this process.</li>
 * </ol>
 *
 * Usage: {@code FleetBench OUT_DIR [candidates] [hosts] [delay samples]}; writes OUT_DIR/fleet.json and prints
 * the same figures.
 */
public final class FleetBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIN = 60_000;
    private static final long WINDOW = 61 * MIN;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
        int hosts = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int samples = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        Files.createDirectories(out);
        Path recording = out.resolve("fleet-stream.ndjson");
        long t0 = alignedPast(Duration.ofHours(30));
        long recorded = record(recording, n, hosts, t0);
        Path dir = Files.createTempDirectory("fleet-bench");
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
            FleetSettings s = FleetSettings.defaults().withTopics("bench.candidates", "bench.alerts",
                    "bench.new-terms").withGrace(Duration.ofMinutes(1)).withNewTermsLearning(Duration.ZERO);
            broker.createTopic(s.candidatesTopic(), 1);
            broker.createTopic(s.alertsTopic(), 1);
            broker.createTopic(s.newTermsTopic(), 1);
            long replayStart = System.nanoTime();
            try (KafkaProducer<String, byte[]> p = producer(broker)) {
                replay(p, recording, s.candidatesTopic());
            }
            double replaySeconds = (System.nanoTime() - replayStart) / 1e9;

            Properties props = new Properties();
            props.setProperty("bootstrap.servers", broker.bootstrapServers());
            props.setProperty("application.id", "fleet-bench");
            props.setProperty("state.dir", dir.resolve("state").toString());
            props.setProperty("num.stream.threads", "1");
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            TopicPartition tp = new TopicPartition(s.candidatesTopic(), 0);
            long firstOffset = -1;
            long firstNanos = 0;
            long firstCpu = 0;
            long lastNanos;
            long lastCpu;
            try (FleetJob job = FleetJob.start(props, s); Admin admin = broker.admin()) {
                while (true) {
                    long committed = committed(admin, tp);
                    long now = System.nanoTime();
                    if (firstOffset < 0 && committed > 0) {
                        firstOffset = committed;
                        firstNanos = now;
                        firstCpu = os.getProcessCpuTime();
                    }
                    if (committed >= recorded) {
                        lastNanos = now;
                        lastCpu = os.getProcessCpuTime();
                        break;
                    }
                    Thread.sleep(20);
                }
                double seconds = (lastNanos - firstNanos) / 1e9;
                double cpuSeconds = (lastCpu - firstCpu) / 1e9;
                long processed = recorded - firstOffset;
                long rarityAlerts = job.counters().rarityAlerts();
                long newTerms = job.counters().newTermsAlerts();

                List<Long> delays = delays(broker, s, t0 + 12 * WINDOW, samples);
                Collections.sort(delays);
                ObjectNode r = JSON.createObjectNode();
                r.put("candidates", recorded);
                r.put("hosts", hosts);
                r.put("recording_bytes", Files.size(recording));
                r.put("replay_seconds", replaySeconds);
                r.put("measured_candidates", processed);
                r.put("wall_seconds", seconds);
                r.put("cpu_seconds", cpuSeconds);
                r.put("events_per_second", processed / seconds);
                r.put("events_per_cpu_second", processed / cpuSeconds);
                r.put("rarity_alerts", rarityAlerts);
                r.put("new_terms_alerts", newTerms);
                r.putPOJO("delay_ms", delays);
                r.put("delay_ms_median", delays.get(delays.size() / 2));
                r.put("delay_ms_max", delays.getLast());
                r.put("commit_interval_ms", 100);
                r.put("cores", Runtime.getRuntime().availableProcessors());
                String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r);
                Files.writeString(out.resolve("fleet.json"), text);
                System.out.println(text);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** A window start this long ago. */
    private static long alignedPast(Duration ago) {
        long t = System.currentTimeMillis() - ago.toMillis();
        return t - t % WINDOW;
    }

    /**
     * The fleet stream: over 6 hours, routine groups (300, Zipf-like weights) run on random hosts; 2% of the
     * candidates are rare groups, each on one host a few times. Fixed seed: the same file every run.
     */
    private static long record(Path file, int n, int hosts, long t0) throws Exception {
        Random rnd = new Random(42);
        String[] exes = {"/usr/bin/dash", "/usr/bin/curl", "/usr/bin/php8.2", "/usr/bin/convert", "/usr/bin/git",
            "/usr/bin/python3", "/usr/bin/perl", "/usr/bin/id", "/usr/bin/uname", "/usr/bin/bash"};
        String[] parents = {"/usr/sbin/nginx", "/usr/sbin/php-fpm8.2", "/usr/sbin/apache2", "/usr/bin/node"};
        double[] cumulative = new double[300];
        double sum = 0;
        for (int g = 0; g < cumulative.length; g++) {
            sum += 1.0 / (g + 1);
            cumulative[g] = sum;
        }
        long span = 6 * 60 * MIN;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < n; i++) {
                long ts = t0 + span * i / n;
                int host = rnd.nextInt(hosts);
                String exe;
                String wd;
                String parent;
                String cmd;
                if (rnd.nextInt(50) == 0) {
                    int rare = rnd.nextInt(5_000);
                    host = rare % hosts;
                    exe = "/tmp/.x" + rare;
                    wd = "/var/www/upload";
                    parent = parents[rare % parents.length];
                    cmd = "/tmp/.x" + rare + " -c " + rare;
                } else {
                    double u = rnd.nextDouble() * sum;
                    int g = 0;
                    while (cumulative[g] < u) {
                        g++;
                    }
                    exe = exes[g % exes.length];
                    wd = "/var/www/app" + (g / exes.length);
                    parent = parents[g % parents.length];
                    cmd = exe.substring(exe.lastIndexOf('/') + 1) + " --task " + g;
                }
                w.write(document(ts, "web-" + host, exe, wd, parent, cmd));
            }
        }
        return n;
    }

    private static String document(long ts, String host, String exe, String wd, String parent, String cmd) {
        ObjectNode d = JSON.createObjectNode();
        d.put("@timestamp", Instant.ofEpochMilli(ts).toString());
        ObjectNode e = d.putObject("event");
        e.put("kind", "event");
        e.put("action", "exec");
        e.put("dataset", "spawnwatch.process");
        ObjectNode h = d.putObject("host");
        h.put("id", "id-" + host);
        h.put("name", host);
        d.putObject("agent").put("id", "agent-" + host);
        ObjectNode p = d.putObject("process");
        p.put("name", exe.substring(exe.lastIndexOf('/') + 1));
        p.put("executable", exe);
        p.put("working_directory", wd);
        p.put("command_line", cmd);
        ObjectNode pp = p.putObject("parent");
        pp.put("executable", parent);
        pp.put("name", parent.substring(parent.lastIndexOf('/') + 1));
        return d + "\n";
    }

    private static KafkaProducer<String, byte[]> producer(KafkaBroker broker) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer());
    }

    private static void replay(KafkaProducer<String, byte[]> p, Path recording, String topic) throws Exception {
        try (BufferedReader r = Files.newBufferedReader(recording, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode d = JSON.readTree(line);
                long ts = Instant.parse(d.get("@timestamp").asText()).toEpochMilli();
                p.send(new ProducerRecord<>(topic, null, ts, d.at("/host/id").asText(),
                        (line + "\n").getBytes(StandardCharsets.UTF_8)));
            }
            p.flush();
        }
    }

    private static long committed(Admin admin, TopicPartition tp) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets("fleet-bench")
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        OffsetAndMetadata o = m.get(tp);
        return o == null ? 0 : o.offset();
    }

    /** Close-to-alert delays, ms: per sample one rare candidate in a fresh window, then the one that closes it. */
    private static List<Long> delays(KafkaBroker broker, FleetSettings s, long start, int samples) throws Exception {
        List<Long> out = new ArrayList<>();
        try (KafkaProducer<String, byte[]> p = producer(broker);
                KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                        new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(s.alertsTopic(), 0);
            c.assign(List.of(tp));
            c.seekToEnd(List.of(tp));
            c.position(tp);
            for (int k = 0; k < samples; k++) {
                long w = start + k * WINDOW;
                String marker = "/tmp/.delay" + k;
                send(p, s, w + MIN, "web-delay", marker);
                p.flush();
                Thread.sleep(300); // the rare candidate is in before the one that closes its window
                long sent = System.nanoTime();
                send(p, s, w + WINDOW + s.grace().toMillis() + 1_000, "web-closer", "/usr/bin/true");
                p.flush();
                long deadline = sent + TimeUnit.SECONDS.toNanos(60);
                boolean found = false;
                while (!found && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(5))) {
                        if (JSON.readTree(r.value()).at("/process/executable").asText().equals(marker)) {
                            out.add((System.nanoTime() - sent) / 1_000_000);
                            found = true;
                        }
                    }
                }
                if (!found) {
                    throw new IllegalStateException("no alert for " + marker + " within 60 s");
                }
            }
        }
        return out;
    }

    private static void send(KafkaProducer<String, byte[]> p, FleetSettings s, long ts, String host, String exe) {
        p.send(new ProducerRecord<>(s.candidatesTopic(), null, ts, "id-" + host,
                document(ts, host, exe, "/var/www", "/usr/sbin/nginx", exe).getBytes(StandardCharsets.UTF_8)));
    }
}
