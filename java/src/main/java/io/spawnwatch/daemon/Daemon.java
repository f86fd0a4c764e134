package io.spawnwatch.daemon;

import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.control.AccessPolicy;
import io.spawnwatch.control.ControlServer;
import io.spawnwatch.control.SubscriberHub;
import io.spawnwatch.error.ConfigException;
import io.spawnwatch.error.HostSetupException;
import io.spawnwatch.error.SpawnwatchException;
import io.spawnwatch.incident.IncidentSink;
import io.spawnwatch.kernel.HostChecks;
import java.io.IOException;
import io.spawnwatch.output.Sink;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The sensor as a daemon: the {@link Sensor}, the control socket in front of
 * it, and the housekeeping ticks (rates for status, counters in the log, a
 * watch on the reader thread). {@link #awaitStop()} returns when a signal, a
 * `spawnwatch shutdown` or a dead reader asks for the stop.
 */
public final class Daemon implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Daemon.class.getName());

    /**
     * What to run. {@code socket} overrides control.socket.
     *
     * @param sinks where documents go; the daemon closes them when it stops (or fails to start)
     */
    public record Options(SensorConfig config, Path configPath, List<Sink> sinks, Path socket) {}

    private final Sensor sensor;
    private final ControlServer server;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final ScheduledExecutorService ticker;

    private Daemon(Sensor sensor, ControlServer server, DaemonControl control) {
        this.sensor = sensor;
        this.server = server;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spawnwatch-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(control::sampleRates, 0, 1, TimeUnit.SECONDS);
        ticker.scheduleAtFixedRate(sensor::logCounters, 60, 60, TimeUnit.SECONDS);
        ticker.scheduleAtFixedRate(control::logWarnings, 5, 5, TimeUnit.SECONDS);
        // A reader that died (an Error in the handler) would leave a sensor
        // that looks alive and sees nothing: stop with a failure instead.
        ticker.scheduleWithFixedDelay(() -> {
            if (sensor.readerFailure() != null) {
                requestStop();
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Starts the sensor and its control socket. The cheap preconditions come first, before the BPF programs
     * load: privileges, BTF and tracefs (HostChecks), then the control socket is claimed (a second sensor on
     * the same socket stops here, with one line), then the incident store opens.
     *
     * @throws SpawnwatchException one line that says what is wrong; the sinks are closed
     */
    public static Daemon start(Options options) throws SpawnwatchException {
        SensorConfig config = options.config();
        ControlServer.Claim claim;
        try {
            HostChecks.verify();
            claim = claimSocket(options);
        } catch (SpawnwatchException e) {
            options.sinks().forEach(Sink::close);
            throw e;
        }
        try {
            return start(options, claim);
        } catch (SpawnwatchException | RuntimeException e) {
            claim.close();
            throw e;
        }
    }

    private static ControlServer.Claim claimSocket(Options options) throws HostSetupException {
        SensorConfig config = options.config();
        Path socket = options.socket() != null ? options.socket() : Path.of(config.control().socket());
        ControlServer.Options serverOptions = ControlServer.Options.defaults().withSocket(socket)
                .withAccess(AccessPolicy.of(config.control().allowedUids(), config.control().allowedGids()));
        Long group = config.control().socketGroup();
        if (group != null) {
            serverOptions = serverOptions.withSocketGroup(group).withModes(0750, 0660);
        }
        try {
            return ControlServer.claim(serverOptions);
        } catch (IOException | RuntimeException e) {
            // The listener's messages start with "control: " and say what to do.
            throw new HostSetupException(e.getMessage() != null && e.getMessage().startsWith("control: ")
                    ? e.getMessage() : "control: cannot listen on socket=" + socket + ": " + (e instanceof IOException ioe
                    ? io.spawnwatch.files.IoErrors.describe(ioe) : e.getMessage()));
        }
    }

    private static Daemon start(Options options, ControlServer.Claim claim) throws SpawnwatchException {
        SensorConfig config = options.config();
        SubscriberHub hub = new SubscriberHub(SubscriberHub.Options.defaults());
        // The incident store is one more sink: it wants every event of a lineage and every alert.
        List<Sink> sinks = new ArrayList<>(options.sinks());
        IncidentSink incidents = null;
        if (config.incidents().enabled()) {
            try {
                incidents = IncidentSink.open(config.incidents());
            } catch (IOException e) {
                options.sinks().forEach(Sink::close);
                throw new ConfigException("incidents.path: " + e.getMessage(), e);
            }
            sinks.add(incidents);
        }
        Sensor sensor = Sensor.start(new Sensor.Options(config, options.configPath(), sinks,
                Path.of("/proc"), Path.of("/etc/passwd"), hub));
        Daemon[] self = new Daemon[1];
        DaemonControl control = new DaemonControl(sensor, incidents, config, options.configPath(), hub, () -> {
            if (self[0] != null) {
                self[0].requestStop();
            }
        });
        ControlServer server = ControlServer.start(claim, control, hub);
        self[0] = new Daemon(sensor, server, control);
        sensor.logReady();
        return self[0];
    }

    public Sensor sensor() {
        return sensor;
    }

    public Path socket() {
        return server.socket();
    }

    /** Asks for an orderly stop; returns at once. */
    public void requestStop() {
        stopRequested.countDown();
    }

    /** Blocks until a stop is requested. */
    public void awaitStop() throws InterruptedException {
        stopRequested.await();
    }

    /** Null while healthy, else why the sensor cannot go on. */
    public Throwable failure() {
        return sensor.readerFailure();
    }

    /** Closes the socket (streams end with "shutdown"), then the sensor. */
    @Override
    public void close() {
        ticker.shutdownNow();
        server.close();
        sensor.close();
    }
}
