package io.spawnwatch.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.kernel.KernelTestSupport;
import io.spawnwatch.output.Sink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real sensor in this JVM, loading the real BPF object, whose NDJSON output
 * is parsed back into documents the test can wait for.
 */
final class SensorHarness implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LinkedBlockingQueue<JsonNode> documents = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final Sensor sensor;

    private SensorHarness(SensorConfig config, List<Sink> more) throws Exception {
        LineSink sink = new LineSink(line -> {
            try {
                documents.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("not JSON: " + new String(line, StandardCharsets.UTF_8), e);
            }
        });
        List<Sink> sinks = new ArrayList<>(List.of(sink));
        sinks.addAll(more);
        this.sensor = Sensor.start(new Sensor.Options(config, null, sinks, Path.of("/proc"),
                Path.of("/etc/passwd"), null));
        sensor.logReady();
    }

    /** The default configuration, with baselines in memory rather than in /var/lib. */
    static SensorHarness start() throws Exception {
        SensorConfig config = ConfigLoader.defaults();
        return start(config.withDetection(config.detection().withStatePath(null)));
    }

    static SensorHarness start(SensorConfig config) throws Exception {
        return start(config, List.of());
    }

    /** With more sinks beside the one the test reads (the sensor closes them when it stops). */
    static SensorHarness start(SensorConfig config, List<Sink> more) throws Exception {
        KernelTestSupport.requireKernel();
        return new SensorHarness(config, more);
    }

    Sensor sensor() {
        return sensor;
    }

    /** Waits for the first document (seen before or arriving) that matches. */
    JsonNode await(Predicate<JsonNode> match, Duration timeout, String what) throws InterruptedException {
        synchronized (seen) {
            for (JsonNode d : seen) {
                if (match.test(d)) {
                    return d;
                }
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode d = left > 0 ? documents.poll(left, TimeUnit.NANOSECONDS) : null;
            if (d == null) {
                throw new AssertionError("no document for " + what + " within " + timeout + "; seen:\n"
                        + dumpSeen());
            }
            synchronized (seen) {
                seen.add(d);
            }
            if (match.test(d)) {
                return d;
            }
        }
    }

    /** Every document received so far (drains the queue first). */
    List<JsonNode> seen() {
        synchronized (seen) {
            documents.drainTo(seen);
            return new ArrayList<>(seen);
        }
    }

    private String dumpSeen() {
        StringBuilder sb = new StringBuilder();
        for (JsonNode d : seen()) {
            sb.append("  ").append(d).append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        sensor.close();
    }

    // --- predicates over ECS documents ---

    static String text(JsonNode d, String dotted) {
        JsonNode n = d;
        for (String part : dotted.split("\\.")) {
            n = n.path(part);
        }
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    static Predicate<JsonNode> execOf(String processName, String commandLineContains) {
        return d -> "exec".equals(text(d, "event.action")) && processName.equals(text(d, "process.name"))
                && text(d, "process.command_line") != null
                && text(d, "process.command_line").contains(commandLineContains);
    }

    static Predicate<JsonNode> connectTo(int port) {
        return d -> "connection_attempted".equals(text(d, "event.action"))
                && Integer.toString(port).equals(text(d, "destination.port"));
    }
}
