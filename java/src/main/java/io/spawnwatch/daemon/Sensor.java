package io.spawnwatch.daemon;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.control.SubscriberHub;
import io.spawnwatch.ecs.EcsEventWriter;
import io.spawnwatch.enrich.BootClock;
import io.spawnwatch.enrich.ContainerIds;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.enrich.ProcessTable;
import io.spawnwatch.enrich.UserNames;
import io.spawnwatch.error.BpfException;
import io.spawnwatch.error.ConfigException;
import io.spawnwatch.error.SpawnwatchException;
import io.spawnwatch.kernel.FilterMaps;
import io.spawnwatch.kernel.HookStatus;
import io.spawnwatch.kernel.KernelCounters;
import io.spawnwatch.kernel.KernelProbes;
import io.spawnwatch.kernel.LineageSeeder;
import io.spawnwatch.kernel.ServerCommandLines;
import io.spawnwatch.event.Field;
import io.spawnwatch.event.ProcessDescriptor;
import io.spawnwatch.event.SegmentText;
import io.spawnwatch.ring.RingBuffer;
import io.spawnwatch.rules.AlertSink;
import io.spawnwatch.rules.RuleEngine;
import io.spawnwatch.rules.RuleMetadata;
import io.spawnwatch.ring.RingPoller;
import io.spawnwatch.ring.RingStats;
import io.spawnwatch.sys.NativeException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running sensor: kernel probes, the ring reader thread, enrichment and
 * output. Everything the kernel sends passes through {@link #onRecord} on the
 * reader thread, one record at a time, in ring order.
 */
public final class Sensor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Sensor.class.getName());

    /** What to run with. */
    public record Options(SensorConfig config, Path configPath, boolean emitEvents, OutputStream output,
            Path proc, Path passwd, SubscriberHub hub) {}

    private final Options options;
    private final KernelProbes probes;
    private final FilterMaps filter;
    private final KernelCounters kernelCounters;
    private final EnrichedEvent event;
    private final EcsEventWriter ecs;
    private final EventOutput output;
    private final RingBuffer ring;
    private final RingPoller poller;
    private final long startedNanos = System.nanoTime();
    private final int seeded;
    private final UserNames users;
    private final Set<Long> configuredUids;
    private final SubscriberHub hub;
    private final ServerCommandLines serverLines;
    private final ProcessTable processes;
    private final SegmentText candidateCommandLine = new SegmentText();
    private final RuleEngine engine;
    private final AlertSink alertSink = this::writeAlert;

    private final AtomicLong events = new AtomicLong();
    private final AtomicLong unknownRecords = new AtomicLong();
    private final AtomicLong outputErrors = new AtomicLong();
    private final AtomicLong alerts = new AtomicLong();
    private final AtomicLong ruleErrors = new AtomicLong();
    private final AtomicLong candidatesIgnored = new AtomicLong();
    private final AtomicLong serversRecognised = new AtomicLong();

    private Sensor(Options options, KernelProbes probes, RuleEngine engine)
            throws SpawnwatchException, NativeException {
        this.options = options;
        this.probes = probes;
        SensorConfig config = options.config();
        this.filter = new FilterMaps(probes);
        this.kernelCounters = new KernelCounters(probes);
        this.hub = options.hub();
        this.users = new UserNames(options.passwd());
        Set<Long> uids = configureFilter(config, users);
        this.configuredUids = Set.copyOf(uids);
        this.serverLines = new ServerCommandLines(config.webServers().serverCommandLines());
        ProcessTable table = new ProcessTable(config.enrichment().processTableEntries(), options.proc());
        this.processes = table;
        // Read each seeded process from /proc now, while it is alive: by the
        // time a descendant's event names it as an ancestor it may be gone.
        this.seeded = new LineageSeeder(options.proc()).seed(filter, config.webServers().names(), uids,
                config.webServers().interpreters(), serverLines, table::get);
        this.event = new EnrichedEvent(table, users, new ContainerIds(options.proc()), new BootClock());
        this.ecs = EcsEventWriter.forThisHost(config.detection().statePath(), DaemonControl.VERSION);
        this.output = new EventOutput(options.output());
        this.engine = engine;
        this.ring = RingBuffer.map(probes.map("events").fd(), config.kernel().ringBufferBytes());
        this.poller = RingPoller.start(ring, this::onRecord, this::onHandlerError);
    }

    /**
     * Loads, configures and attaches everything, and starts reading. The rules
     * compile on another thread while the kernel verifies the BPF programs:
     * the two are the bulk of start-up and need nothing from each other.
     */
    public static Sensor start(Options options) throws SpawnwatchException {
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
        return uids;
    }

    private void onRecord(MemorySegment data, long offset, int length) {
        if (!event.wrap(data, offset)) {
            bump(unknownRecords);
            return;
        }
        if (event.record().match() == ProcessDescriptor.MATCH_CANDIDATE && !recogniseServer()) {
            bump(candidatesIgnored);
            return;
        }
        bump(events);
        // Build the event document only when someone reads it: --events, or a
        // client following `spawnwatch events`.
        if (options.emitEvents() || (hub != null && hub.hasEventSubscribers())) {
            writeEvent();
        }
        try {
            engine.evaluate(event, alertSink);
        } catch (RuntimeException e) {
            // A rule bug must not cost the following events: count, log, go on.
            if (bump(ruleErrors) <= 10) {
                LOG.log(System.Logger.Level.ERROR, "rule evaluation failed; event skipped by the rules", e);
            }
        }
    }

    /**
     * Counts on the reader thread, the only writer of these counters: a
     * release store instead of a locked add (Agrona's single-writer counters);
     * other threads read them with get(). Returns the new value.
     */
    private static long bump(AtomicLong counter) {
        long next = counter.getPlain() + 1;
        counter.setRelease(next);
        return next;
    }

    /**
     * An interpreter's exec that the kernel sent only because it might be a
     * web server: when its command line shows one, it becomes a lineage root
     * (its children are followed from now on) and the event goes on as a web
     * server's; otherwise it is dropped, counted.
     */
    private boolean recogniseServer() {
        String fragment = serverLines.find(event.exec().commandLine(candidateCommandLine));
        if (fragment == null) {
            return false;
        }
        int pid = event.record().pid();
        try {
            filter.addRoot(pid, event.record().startBootNanos());
            bump(serversRecognised);
            LOG.log(System.Logger.Level.INFO, "following pid " + pid + " (" + event.text(Field.PROCESS_NAME)
                    + ") as a web server: its command line contains '" + fragment + "'");
        } catch (BpfException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot follow pid " + pid + " as a web server: " + e.getMessage());
        }
        return true;
    }

    private void writeAlert(RuleMetadata rule, io.spawnwatch.event.EventView view, long repeatsSuppressed) {
        bump(alerts);
        try {
            JsonGenerator g = output.begin();
            ecs.writeAlert(g, event, rule, repeatsSuppressed);
            byte[] line = output.finish(g);
            if (!output.write(line)) {
                bump(outputErrors);
            }
            if (hub != null) {
                hub.publishAlert(line);
            }
        } catch (IOException e) {
            bump(outputErrors);
        }
    }

    private void writeEvent() {
        try {
            JsonGenerator g = output.begin();
            ecs.writeEvent(g, event);
            byte[] line = output.finish(g);
            if (options.emitEvents() && !output.write(line)) {
                bump(outputErrors);
            }
            if (hub != null) {
                hub.publishEvent(line);
            }
        } catch (IOException e) {
            bump(outputErrors);
        }
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
        return events.get();
    }

    public long alertCount() {
        return alerts.get();
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

    public List<HookStatus> hooks() {
        return probes.hooks();
    }

    /** Kernel counters (summed over CPUs) and user-side counters together. */
    public Map<String, Long> counters() throws BpfException {
        Map<String, Long> all = new java.util.LinkedHashMap<>(kernelCounters.read());
        RingStats stats = poller.stats();
        all.put("ring_delivered", stats.deliveredRecords());
        all.put("ring_discarded", stats.discardedRecords());
        all.put("ring_invalid", stats.invalidRecords());
        all.put("ring_skipped_bytes", stats.skippedBytes());
        all.put("handler_errors", stats.handlerErrors());
        all.put("events", events.get());
        all.put("alerts", alerts.get());
        all.put("rule_errors", ruleErrors.get());
        all.put("servers_recognised", serversRecognised.get());
        all.put("process_table_evictions", processes.evictions());
        all.put("candidates_ignored", candidatesIgnored.get());
        all.put("unknown_records", unknownRecords.get());
        all.put("output_written", output.written());
        all.put("output_errors", outputErrors.get());
        return all;
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
            Map<String, Long> c = counters();
            LOG.log(System.Logger.Level.INFO, "counters: " + c + " kernel_drops=" + KernelCounters.drops(c));
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
        logCounters();
        engine.close();
        ring.close();
        probes.close();
        try {
            output.close();
        } catch (IOException e) {
            // stdout gone: nothing left to tell
        }
        LOG.log(System.Logger.Level.INFO, "stopped: every hook detached");
    }

    /** Milliseconds since this process started: what an operator waits for. */
    private static long sinceJvmStart() {
        return ProcessHandle.current().info().startInstant()
                .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis()).orElse(-1L);
    }
}
