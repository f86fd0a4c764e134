package io.spawnwatch.cli;

import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.daemon.Daemon;
import io.spawnwatch.error.ConfigException;
import io.spawnwatch.error.SpawnwatchException;
import io.spawnwatch.output.DocumentKind;
import io.spawnwatch.output.FileSink;
import io.spawnwatch.output.Sink;
import io.spawnwatch.output.StdoutSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spawnwatch run}: the sensor in the foreground. */
@Command(name = "run", mixinStandardHelpOptions = true,
        header = "Run the sensor in the foreground: ECS alerts (and with --events every event) as NDJSON.",
        description = {
            "Loads the BPF programs, attaches them and prints one ECS JSON document per line to stdout or",
            "--output. Logs go to stderr; the sensor is ready when it logs 'hooks attached'. SIGINT or",
            "SIGTERM detach everything and stop it."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly", "1:the sensor could not start (the message says why)",
            "2:bad configuration or usage"})
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--events", description = "Also print every event the kernel sends up, not only alerts.")
    boolean events;

    @Option(names = "--output", paramLabel = "FILE", description = "Append documents to FILE instead of stdout.")
    Path output;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration over the embedded defaults.")
    Path config;

    @Option(names = "--socket", paramLabel = "PATH", description = "Control socket (default: control.socket).")
    Path socket;

    @Override
    public Integer call() {
        Logging.configure();
        // SIGINT/SIGTERM stop the daemon on this thread, not in a shutdown
        // hook: java.util.logging resets its handlers in its own hook, and the
        // last lines (counters, "stopped") would be lost. Installed before
        // anything is created: a signal during start-up stops the daemon as
        // soon as it is up, with its "stopped" line, and leaves no socket file.
        java.util.concurrent.CountDownLatch signalled = new java.util.concurrent.CountDownLatch(1);
        for (String signal : new String[] {"INT", "TERM"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> signalled.countDown());
        }
        SensorConfig cfg;
        try {
            cfg = ConfigLoader.load(config);
        } catch (ConfigException e) {
            e.problems().forEach(p -> spec.commandLine().getErr().println("spawnwatch: " + p));
            return 2;
        }
        Set<DocumentKind> kinds = events ? EnumSet.of(DocumentKind.ALERT, DocumentKind.EVENT)
                : EnumSet.of(DocumentKind.ALERT);
        int queue = cfg.output().queueDocuments();
        Sink sink;
        boolean outputExisted = output != null && Files.exists(output, LinkOption.NOFOLLOW_LINKS);
        try {
            sink = output == null ? new StdoutSink(kinds, queue)
                    : new FileSink(output, kinds, queue, cfg.output().fileGroup());
        } catch (IOException e) {
            spec.commandLine().getErr().println("spawnwatch: " + e.getMessage());
            return 2;
        }
        Daemon daemon;
        try {
            daemon = Daemon.start(new Daemon.Options(cfg, config, List.of(sink), socket));
        } catch (SpawnwatchException e) {
            spec.commandLine().getErr().println("spawnwatch: " + e.getMessage());
            removeUnused(outputExisted);
            return 1;
        }
        Thread.ofPlatform().daemon().name("spawnwatch-signals").start(() -> {
            try {
                signalled.await();
                daemon.requestStop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            daemon.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Throwable failure = daemon.failure();
        daemon.close();
        if (failure != null) {
            // The log has the stack trace (Sensor); the user gets what failed, without a Java class name.
            spec.commandLine().getErr().println("spawnwatch: the ring reader stopped: " + (failure.getMessage() == null
                    ? "an internal error" : failure.getMessage()) + " (the log above has the details)");
            return 1;
        }
        return 0;
    }

    /**
     * A start that failed (another sensor holds the socket, say) leaves no trace: the --output file it
     * created is removed when nothing was written to it. A file that was there before is left alone.
     */
    private void removeUnused(boolean outputExisted) {
        if (output == null || outputExisted) {
            return;
        }
        try {
            if (Files.size(output) == 0) {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            // gone already, or not ours to judge: leave it
        }
    }
}
