package io.spawnwatch.daemon;

import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.control.SubscriberHub;
import io.spawnwatch.ecs.DocumentRenderer;
import io.spawnwatch.ecs.EcsEventWriter;
import io.spawnwatch.enrich.BootClock;
import io.spawnwatch.enrich.ContainerIds;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.enrich.ProcessTable;
import io.spawnwatch.enrich.SlowReads;
import io.spawnwatch.enrich.UserNames;
import io.spawnwatch.error.BpfException;
import io.spawnwatch.error.ConfigException;
import io.spawnwatch.error.SpawnwatchException;
import io.spawnwatch.kernel.FilterMaps;
import io.spawnwatch.kernel.HookStatus;
import io.spawnwatch.kernel.KernelCounters;
import io.spawnwatch.kernel.KernelProbes;
import io.spawnwatch.kernel.LineageSeeder;
import io.spawnwatch.output.ConfiguredOutputs;
import io.spawnwatch.output.Sink;
import io.spawnwatch.output.SinkStats;
import io.spawnwatch.pipeline.EventPipeline;
import io.spawnwatch.pipeline.ProcessStage;
import io.spawnwatch.pipeline.ServerRecognition;
import io.spawnwatch.recognition.Roots;
import io.spawnwatch.recognition.ServerRecognizer;
import io.spawnwatch.procfs.ProcFs;
import io.spawnwatch.ring.RingBuffer;
import io.spawnwatch.ring.RingPoller;
import io.spawnwatch.rules.RuleEngine;
import io.spawnwatch.sys.NativeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The running sensor, as wiring: kernel probes and filter maps, the ring reader thread, the
 * {@link EventPipeline} it feeds (decode, process table, enrichment, rules, rendering, sinks), and the
 * counters of all of them. Nothing here touches an event.
 */
public final class Sensor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Sensor.class.getName());

    /**
     * What to run with.
     *
     * @param sinks where documents go (stdout, a file...); the sensor closes them when it stops
     * @param hub   the control socket's followers, or null
     */
    public record Options(SensorConfig config, Path configPath, List<Sink> sinks, Path proc, Path passwd,
            SubscriberHub hub) {}

    private final KernelProbes probes;
    private final FilterMaps filter;
    private final ServerRecognizer recognizer;
    private final KernelCounters kernelCounters;
    private final List<Sink> sinks;
    private final SlowReads slowReads;
    private final EventPipeline pipeline;
    private final RingBuffer ring;
    private final RingPoller poller;
    private final long startedNanos = System.nanoTime();
    private final int seeded;
    private final UserNames users;
    private final Set<Long> configuredUids;
    private final ProcessTable processes;
    private final RuleEngine engine;

    private Sensor(Options options, KernelProbes probes, RuleEngine engine)
            throws SpawnwatchException, NativeException {
        this.probes = probes;
        this.engine = engine;
        this.sinks = List.copyOf(options.sinks());
        SensorConfig config = options.config();
        this.filter = new FilterMaps(probes);
        this.kernelCounters = new KernelCounters(probes);
        this.users = new UserNames(options.passwd());
        Set<Long> uids = configureFilter(config, users);
        this.configuredUids = Set.copyOf(uids);
        LineageSeeder seeder = new LineageSeeder(options.proc());
        // A root recognised in user space (a listen, an interpreter's arguments)
        // may have forked before the decision reached the kernel: its live
        // descendants go into the lineage with it.
        this.recognizer = new ServerRecognizer(config.webServers(), (pid, start) -> {
            filter.addRoot(pid, start);
            seeder.seedDescendants(filter, pid, start);
        }, new Roots(4096));
        ProcessTable table = new ProcessTable(config.enrichment().processTableEntries(), options.proc());
        this.processes = table;
        // Read each seeded process from /proc now, while it is alive: by the
        // time a descendant's event names it as an ancestor it may be gone.
        this.seeded = seeder.seed(filter, config.webServers(), uids, recognizer, table::get);
        ContainerIds containers = new ContainerIds(options.proc());
        this.slowReads = new SlowReads(table, containers, new ProcFs(options.proc()));
        // From here on a failure must stop the slow-reads thread (and unmap the ring) it started: the caller
        // closes only what it made, the probes and the engine.
        RingBuffer mapped = null;
        try {
            EnrichedEvent event = new EnrichedEvent(table, users, containers, new BootClock(), slowReads);
            EcsEventWriter ecs = EcsEventWriter.forThisHost(config.detection().statePath(), DaemonControl.VERSION);
            this.pipeline = new EventPipeline(event, new ServerRecognition(recognizer), new ProcessStage(table),
                    engine, new DocumentRenderer(ecs), sinks, options.hub());
            mapped = RingBuffer.map(probes.map("events").fd(), config.kernel().ringBufferBytes());
            this.ring = mapped;
            this.poller = RingPoller.start(ring, pipeline, this::onHandlerError);
        } catch (SpawnwatchException | NativeException | RuntimeException | Error e) {
            slowReads.close();
            if (mapped != null) {
                mapped.close();
            }
            throw e;
        }
    }

    /**
     * Loads, configures and attaches everything, and starts reading. The rules
     * compile on another thread while the kernel verifies the BPF programs:
     * the two are the bulk of start-up and need nothing from each other.
     * On failure the sinks are closed too.
     */
    public static Sensor start(Options options) throws SpawnwatchException {
        List<Sink> sinks = new java.util.ArrayList<>(options.sinks());
        try {
            // The configuration's outputs: (Kafka, rotating files) beside the caller's stdout or file.
            sinks.addAll(ConfiguredOutputs.open(options.config().outputs(), ConfiguredOutputs.hostKey()));
            return open(new Options(options.config(), options.configPath(), sinks, options.proc(),
                    options.passwd(), options.hub()));
        } catch (SpawnwatchException | RuntimeException e) {
            sinks.forEach(Sink::close);
            throw e;
        }
    }

    private static Sensor open(Options options) throws SpawnwatchException {
        SensorConfig config = options.config();
        FutureTask<RuleEngine> rules = new FutureTask<>(() -> RuleEngines.open(config));
        Thread.ofPlatform().name("spawnwatch-rules-loader").daemon(true).start(rules);
        KernelProbes probes;
        try {
            probes = KernelProbes.open(new KernelProbes.Options(config.kernel().ringBufferBytes(),
                    config.kernel().lineageEntries(), (int) ProcessHandle.current().pid()));
        } catch (SpawnwatchException | RuntimeException e) {
            closeQuietly(rules);
            throw e;
        }
        RuleEngine engine;
        try {
            engine = rules.get();
        } catch (ExecutionException e) {
            probes.close();
            if (e.getCause() instanceof SpawnwatchException s) {
                throw s;
            }
            throw new ConfigException("rules: the rule engine failed to open: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            probes.close();
            Thread.currentThread().interrupt();
            throw new ConfigException("rules: interrupted while the rules loaded", e);
        }
        try {
            return new Sensor(options, probes, engine);
        } catch (NativeException e) {
            engine.close();
            probes.close();
            throw new BpfException(e.getMessage(), e.errno()); // already "ring: ...: ERRNO (text)"
        } catch (SpawnwatchException | RuntimeException e) {
            engine.close();
            probes.close();
            throw e;
        }
    }

    /** Waits for the rules that were loading and closes them (start-up failed elsewhere). */
    private static void closeQuietly(FutureTask<RuleEngine> rules) {
        try {
            rules.get().close();
        } catch (ExecutionException | RuntimeException e) {
            // failed to open: nothing to close
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Set<Long> configureFilter(SensorConfig config, UserNames users) throws BpfException {
        for (String name : config.webServers().names()) {
            filter.addName(name);
        }
        for (String name : config.webServers().interpreters()) {
            filter.addInterpreter(name);
        }
        Set<Long> uids = new HashSet<>(config.webServers().uids());
        for (String user : config.webServers().users()) {
            long uid = users.uid(user);
            if (uid >= 0) {
                uids.add(uid);
            }
        }
        for (long uid : uids) {
            filter.addUid(uid);
        }
        SensorConfig.Files f = config.files();
        filter.watchFiles(f.writableDirs(), f.persistencePaths(), f.persistenceNames(), f.webRoots(),
                f.scriptExtensions());
        return uids;
    }

    private void onHandlerError(RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "record handler failed; record skipped and counted", e);
    }

    /**
     * Logs the hooks and "ready": the line operators and scripts wait for, so
     * the daemon calls it once everything, the control socket included, is up.
     */
    public void logReady() {
        StringBuilder sb = new StringBuilder("hooks attached:");
        for (HookStatus h : probes.hooks()) {
            if (h.attached()) {
                sb.append(' ').append(h.probe()).append('=').append(h.hook());
            }
        }
        for (HookStatus h : probes.hooks()) {
            if (!h.attached()) {
                sb.append("; ").append(h.probe()).append(" fallback: ").append(h.hook()).append(" not used (")
                        .append(h.reason()).append(')');
            }
        }
        LOG.log(System.Logger.Level.INFO, sb.toString());
        LOG.log(System.Logger.Level.INFO, "ready: ring buffer " + ring.dataSize() + " bytes, " + seeded
                + " running processes seeded into the lineage, BPF load and attach "
                + probes.loadNanos() / 1_000_000 + " ms, " + sinceJvmStart() + " ms since the JVM started");
    }

    public UserNames users() {
        return users;
    }

    /** The web-server uids from the configuration (numbers and resolved names). */
    public Set<Long> configuredUids() {
        return configuredUids;
    }

    public long eventCount() {
        return pipeline.stats().events();
    }

    public long alertCount() {
        return pipeline.stats().alerts();
    }

    public long ringBytes() {
        return ring.dataSize();
    }

    public RuleEngine engine() {
        return engine;
    }

    public KernelProbes probes() {
        return probes;
    }

    public FilterMaps filter() {
        return filter;
    }

    /** Who decides which candidates become web servers, and the roots in force. */
    public ServerRecognizer recognizer() {
        return recognizer;
    }

    public List<HookStatus> hooks() {
        return probes.hooks();
    }

    /** Every counter of the sensor now: kernel (summed over CPUs), ring, pipeline, enrichment and sinks. */
    public SensorCounters counters() throws BpfException {
        Map<String, SinkStats> bySink = new LinkedHashMap<>();
        for (Sink sink : sinks) {
            bySink.put(sink.name(), sink.stats());
        }
        return new SensorCounters(kernelCounters.read(), poller.stats(), pipeline.stats(), slowReads.stats(),
                processes.evictions(), processes.staleSkipped(), recognizer.counters(), bySink);
    }

    /** Null while the reader runs; else why it stopped (the sensor is then useless and must exit). */
    public Throwable readerFailure() {
        if (poller.isRunning()) {
            return null;
        }
        Throwable t = poller.failure();
        return t != null ? t : new IllegalStateException("ring reader thread stopped");
    }

    public long uptimeMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Logs the counters; the drop counters make any loss visible. */
    public void logCounters() {
        try {
            SensorCounters c = counters();
            LOG.log(System.Logger.Level.INFO, "counters: " + c + " kernel_drops=" + c.kernelDrops()
                    + " user_drops=" + c.userDrops());
        } catch (BpfException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read counters: " + e.getMessage());
        }
    }

    /** Stops reading, detaches every hook and unloads the object. */
    @Override
    public void close() {
        try {
            poller.close();
        } catch (NativeException e) {
            LOG.log(System.Logger.Level.WARNING, "stopping the ring reader: " + e.getMessage());
        }
        slowReads.close();
        sinks.forEach(Sink::close); // drains what the reader offered before it stopped
        logCounters();
        engine.close();
        ring.close();
        probes.close();
        LOG.log(System.Logger.Level.INFO, "stopped: every hook detached");
    }

    /** Milliseconds since this process started: what an operator waits for. */
    private static long sinceJvmStart() {
        return ProcessHandle.current().info().startInstant()
                .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis()).orElse(-1L);
    }
}
