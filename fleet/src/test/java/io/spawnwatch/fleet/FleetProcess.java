package io.spawnwatch.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The fleet job as an operator runs it, {@code spawnwatch fleet} in its own JVM, so a test can SIGKILL it. */
final class FleetProcess {
    /** Every job a test started, so that a failed test leaves none running ({@link #killAll}). */
    private static final java.util.List<Process> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Process process;
    private final Path log;

    private FleetProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static FleetProcess start(FleetSettings s, String appId, Path state, Path log) throws IOException {
        // A killed member stays in the consumer group until its session times out (45 s by default) and the
        // restarted one waits for that: the broker's minimum keeps the test short.
        Path kafkaConfig = log.resolveSibling(appId + ".properties");
        Files.writeString(kafkaConfig, "session.timeout.ms=6000\nheartbeat.interval.ms=1000\n");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), FleetMain.class.getName(),
                "--bootstrap-servers", FleetJobKafkaTest.broker.bootstrapServers(),
                "--application-id", appId, "--state-dir", state.toString(),
                "--candidates-topic", s.candidatesTopic(), "--alerts-topic", s.alertsTopic(),
                "--new-terms-topic", s.newTermsTopic(), "--kafka-config", kafkaConfig.toString(), "--grace", "1m", "--new-terms-learning", "0s");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        STARTED.add(p);
        return new FleetProcess(p, log);
    }

    static void killAll() throws InterruptedException {
        for (Process p : STARTED) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        STARTED.clear();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
