package io.spawnwatch.daemon;

import io.spawnwatch.cli.CliRun;
import io.spawnwatch.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real daemon as its own process ({@code spawnwatch run} from the test
 * class path, on this JDK), for what only a process shows: its umask, its
 * signals, its exit code and its last log lines. Logs go to {@code stderr.log}
 * in the given directory; documents to {@code --output}.
 */
final class DaemonProcess implements AutoCloseable {

    final Path dir;
    final Path config;
    final Path socket;
    final Path output;
    final Path log;
    private final Process process;

    private DaemonProcess(Path dir, Path config, Path socket, Process process) {
        this.dir = dir;
        this.config = config;
        this.socket = socket;
        this.output = dir.resolve("out.ndjson");
        this.log = dir.resolve("stderr.log");
        this.process = process;
    }

    /**
     * Starts {@code spawnwatch run --events} with {@code configYaml} (written to
     * dir/config.yml), the socket at dir/run/sw.sock and the given umask (octal
     * text, e.g. "000"). Returns at once; see {@link #awaitLog}.
     */
    static DaemonProcess start(Path dir, String configYaml, String umask) throws IOException {
        Path socket = dir.resolve("run/sw.sock");
        return start(dir, configYaml, umask, socket, List.of("--events", "--socket", socket.toString(), "--output",
                dir.resolve("out.ndjson").toString()));
    }

    /**
     * Starts {@code spawnwatch run --config dir/config.yml RUN_ARGS}: for start-up failures, a second sensor
     * on another's socket, or a bad --output.
     *
     * @param socket the socket {@code runArgs} name, for {@link #cli}
     */
    static DaemonProcess start(Path dir, String configYaml, String umask, Path socket, List<String> runArgs)
            throws IOException {
        Files.createDirectories(dir);
        Path config = Files.writeString(dir.resolve("config.yml"), configYaml);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask " + umask + "; exec \"$@\"", "sh", java,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "--config", config.toString()));
        cmd.addAll(runArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("stderr.log").toFile()).start();
        return new DaemonProcess(dir, config, socket, p);
    }

    /** Waits for the process to exit by itself; returns its exit code, or fails with the log. */
    int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + ":\n" + logText());
        }
        return process.exitValue();
    }

    /** Waits until the log has a line containing {@code fragment}; fails with the log otherwise. */
    void awaitLog(String fragment, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (logText().contains(fragment)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the daemon exited with " + process.exitValue() + " before logging '"
                        + fragment + "':\n" + logText());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + fragment + "' in the log within " + timeout + ":\n" + logText());
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    String outputText() throws IOException {
        return Files.exists(output) ? Files.readString(output) : "";
    }

    long pid() {
        return process.pid();
    }

    /** Sends SIGTERM and waits for the exit; returns the exit code. */
    int terminate(Duration timeout) throws Exception {
        process.destroy(); // SIGTERM
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the daemon did not stop within " + timeout + " of SIGTERM:\n" + logText());
        }
        return process.exitValue();
    }

    /** The CLI in this JVM against the daemon's socket. */
    CliRun cli(String... args) {
        return CliRun.against(socket, args);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
