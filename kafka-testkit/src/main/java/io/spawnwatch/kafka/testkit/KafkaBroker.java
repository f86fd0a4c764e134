package io.spawnwatch.kafka.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real single-node Kafka broker in KRaft combined mode (broker and controller in one process), Apache Kafka's
 * own server from Maven Central, run in a child JVM on 127.0.0.1 so that a test can stop it, kill it with
 * SIGKILL and start it again on the same port and log directory, as an operator's restart would.
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.start(tempDir)) {
 *     broker.createTopic("events", 1);
 *     ... broker.bootstrapServers() ...
 *     broker.stop(); broker.restart();
 * }
 * }</pre>
 *
 * <p>The child runs on this JVM's class path ({@code java.class.path}: Surefire sets it to the test class path),
 * which must hold {@code org.apache.kafka:kafka_2.13}. Its output goes to {@code broker.log} in the directory.
 * Start-up takes 3 to 10 s on a busy 2-core machine; every wait is bounded and fails with the log's tail.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private final int saslPort;
    private final int tlsPort;
    private final int controllerPort;
    private final Path config;
    private final Path log;
    private Process process;

    private KafkaBroker(Path dir, int port, int saslPort, int tlsPort, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.saslPort = saslPort;
        this.tlsPort = tlsPort;
        this.controllerPort = controllerPort;
        this.config = dir.resolve("server.properties");
        this.log = dir.resolve("broker.log");
    }

    /** Formats a fresh log directory under {@code dir}, starts the broker and waits until it answers. */
    public static KafkaBroker start(Path dir) {
        KafkaBroker broker = new KafkaBroker(dir, freePort(), freePort(), freePort(), freePort());
        broker.makeCertificate();
        broker.writeConfig();
        broker.format();
        broker.restart();
        return broker;
    }

    /** "127.0.0.1:PORT", for bootstrap.servers. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /**
     * "127.0.0.1:PORT" of a SASL_PLAINTEXT listener: mechanism PLAIN knows one user, {@link #SASL_USER} with
     * password {@link #SASL_PASSWORD}; SCRAM-SHA-512 knows those given to {@link #addScramUser}.
     */
    public String saslBootstrapServers() {
        return "127.0.0.1:" + saslPort;
    }

    /**
     * "127.0.0.1:PORT" of an SSL listener whose certificate (self-signed, for IP 127.0.0.1 and localhost) is
     * {@link #caPem()}.
     */
    public String tlsBootstrapServers() {
        return "127.0.0.1:" + tlsPort;
    }

    /** The TLS listener's certificate in PEM: the CA file a client trusts it with. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /**
     * Makes a self-signed certificate with keytool (the JDK's) into {@code dir}: {@code NAME.p12} (password
     * "changeit") and {@code NAME.pem}. Also for a test's wrong CA.
     */
    public static Path selfSignedPem(Path dir, String name) {
        Path store = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + ".pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit"));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(),
                "-storepass", "changeit", "-file", pem.toString()));
        return pem;
    }

    private static void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + cmd.getFirst(), e);
        }
    }

    private void makeCertificate() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        selfSignedPem(dir, "ca");
    }

    public static final String SASL_USER = "spawnwatch";
    public static final String SASL_PASSWORD = "right-password";

    /** Starts the broker (again) on the same port and log directory and waits until it answers. */
    public void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("broker already running: pid=" + process.pid());
        }
        process = launch("kafka.Kafka", config.toString());
        awaitReady();
    }

    /** Orderly stop (SIGTERM: controlled shutdown), waiting up to 60 s for the process to exit. */
    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives {@code user} a SCRAM-SHA-512 password on the SASL listener (the broker keeps it in its metadata). */
    public void addScramUser(String user, String password) {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                    user, new org.apache.kafka.clients.admin.ScramCredentialInfo(
                            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot add SCRAM user " + user + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted adding SCRAM user " + user, e);
        }
    }

    /** Creates a topic with replication factor 1 and waits for it. */
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + name, e);
        }
    }

    /** An admin client on this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    /**
     * Every committed record of the topic's partition 0 from its start ({@code read_committed}), read until at
     * least {@code expect} came and then {@code quiet} passed without another, or {@code atMost} passed.
     */
    public List<ConsumerRecord<String, byte[]>> read(String topic, int expect, Duration quiet, Duration atMost) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + atMost.toNanos();
            long lastNew = System.nanoTime();
            while (System.nanoTime() < deadline
                    && (out.size() < expect || System.nanoTime() - lastNew < quiet.toNanos())) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    out.add(r);
                    lastNew = System.nanoTime();
                }
            }
        }
        return out;
    }

    /** Stops the broker and deletes its directory. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory: the test framework removes what is left
        }
    }

    private void writeConfig() {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort
                + ",SSL://127.0.0.1:" + tlsPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",SASL_PLAINTEXT://127.0.0.1:"
                + saslPort + ",SSL://127.0.0.1:" + tlsPort);
        p.setProperty("ssl.keystore.type", "PKCS12");
        p.setProperty("ssl.keystore.location", dir.resolve("ca.p12").toString());
        p.setProperty("ssl.keystore.password", "changeit");
        p.setProperty("ssl.key.password", "changeit");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT");
        p.setProperty("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
        p.setProperty("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.setProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + SASL_USER + "=\""
                        + SASL_PASSWORD + "\";");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        // One node: every internal topic has one replica.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Topics are created on purpose, so that a missing one is an error the sink must report.
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", "1");
        try {
            Files.createDirectories(dir);
            try (var out = Files.newBufferedWriter(config)) {
                p.store(out, "spawnwatch test broker");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    private void format() {
        Process f = launch("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString());
        try {
            if (!f.waitFor(120, TimeUnit.SECONDS) || f.exitValue() != 0) {
                f.destroyForcibly();
                throw new IllegalStateException("kafka storage format failed; log: " + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted formatting the broker's storage", e);
        }
    }

    private Process launch(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("broker exited with " + process.exitValue() + "; log: " + tail());
            }
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                // The transaction coordinator and consumer groups need their topics: a metadata answer is enough
                // for producers, and clients retry the rest.
                return;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                last = String.valueOf(e.getCause() != null ? e.getCause() : e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the broker", e);
            }
        }
        throw new IllegalStateException("broker not ready after " + READY_TIMEOUT.toSeconds() + " s (" + last
                + "); log: " + tail());
    }

    /** The last lines of the broker's log, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
