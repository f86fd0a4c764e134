package io.spawnwatch.daemon;

import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.control.SensorControl;
import io.spawnwatch.control.SensorException;
import io.spawnwatch.control.SensorMessages;
import io.spawnwatch.control.SubscriberHub;
import io.spawnwatch.enrich.UserNames;
import io.spawnwatch.error.BpfException;
import io.spawnwatch.error.ConfigException;
import io.spawnwatch.incident.IncidentSink;
import io.spawnwatch.incident.IncidentStore;
import io.spawnwatch.incident.IncidentSummary;
import io.spawnwatch.output.SinkStats;
import io.spawnwatch.kernel.HookStatus;
import io.spawnwatch.enrich.SlowReads;
import io.spawnwatch.event.DecodeStats;
import io.spawnwatch.kernel.KernelCounter;
import io.spawnwatch.kernel.KernelCounters;
import io.spawnwatch.output.SinkStats;
import io.spawnwatch.pipeline.PipelineStats;
import io.spawnwatch.ring.RingStats;
import io.spawnwatch.kernel.WebServerNames;
import io.spawnwatch.rules.EngineStats;
import io.spawnwatch.recognition.ProcessClock;
import io.spawnwatch.recognition.Roots;
import io.spawnwatch.recognition.ServerRecognizer;
import io.spawnwatch.rules.RuleEngine;
import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.RuleStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The running sensor as the control socket sees it. Called from connection
 * threads; every change goes through a component that is safe for that (the
 * kernel maps, the rule engine's atomic swap), and none touches the event path.
 */
final class DaemonControl implements SensorControl {
    private static final System.Logger LOG = System.getLogger(DaemonControl.class.getName());
    static final String VERSION = "0.1.0";

    private final Sensor sensor;
    private final IncidentSink incidents;
    private final SensorConfig config;
    private final Path configPath;
    private final SubscriberHub hub;
    private final UserNames users;
    private final ExceptionStore exceptions;
    private final Runnable stop;
    private final RateMeter eventRate = new RateMeter(10);
    private final RateMeter alertRate = new RateMeter(10);
    private final ProcessClock clock = new ProcessClock(Path.of("/proc"));
    private final Set<String> configNames;
    private final Set<Long> configUids;
    private Set<String> loggedWarnings = Set.of(); // only the ticker thread

    DaemonControl(Sensor sensor, IncidentSink incidents, SensorConfig config, Path configPath, SubscriberHub hub,
            Runnable stop) {
        this.sensor = sensor;
        this.incidents = incidents;
        this.config = config;
        this.configPath = configPath;
        this.hub = hub;
        this.users = sensor.users();
        this.exceptions = new ExceptionStore(Path.of(config.rules().exceptions() == null
                ? "/var/lib/spawnwatch/exceptions.yml" : config.rules().exceptions()),
                config.control().socketGroup() == null ? -1 : config.control().socketGroup());
        this.stop = stop;
        this.configNames = Set.copyOf(config.webServers().names());
        this.configUids = sensor.configuredUids();
    }

    /** Called once a second by the daemon, for the rates in status. */
    void sampleRates() {
        long now = System.nanoTime();
        eventRate.sample(sensor.eventCount(), now);
        alertRate.sample(sensor.alertCount(), now);
    }

    /**
     * Called every few seconds by the daemon: logs each status warning that is
     * new or changed since the last call, so the log tells what status shows
     * (the reader thread itself never logs).
     */
    void logWarnings() {
        List<String> now = EngineWarnings.of(sensor.engine().stats());
        for (String w : now) {
            if (!loggedWarnings.contains(w)) {
                LOG.log(System.Logger.Level.WARNING, w);
            }
        }
        loggedWarnings = Set.copyOf(now);
    }

    @Override
    public Status status() {
        SensorCounters c = counters();
        List<Hook> hooks = new ArrayList<>();
        Map<String, StringBuilder> fallbacks = new LinkedHashMap<>();
        for (HookStatus h : sensor.hooks()) {
            if (!h.attached()) {
                fallbacks.computeIfAbsent(h.probe(), k -> new StringBuilder())
                        .append(fallbacks.get(h.probe()).isEmpty() ? "" : "; ")
                        .append(h.hook()).append(": ").append(h.reason());
            }
        }
        for (HookStatus h : sensor.hooks()) {
            if (h.attached()) {
                StringBuilder why = fallbacks.get(h.probe());
                hooks.add(new Hook(h.probe(), h.hook(), why == null ? null : why.toString()));
            }
        }
        EngineStats engine = sensor.engine().stats();
        int enabled = (int) engine.rules().stream().filter(RuleStats::enabled).count();
        return new Status(VERSION, sensor.uptimeMillis() / 1000, kernelRelease(), hooks, sensor.ringBytes(),
                eventRate.perSecond(), alertRate.perSecond(), new Drops(c.kernelDrops(), c.userDrops()),
                sensor.engine().rules().size(), enabled, configPath == null ? null : configPath.toString(),
                engine.bounds().heldByRule() + engine.bounds().heldByWebServer(), EngineWarnings.of(engine), roots(),
                learning(sensor.engine().learning()));
    }

    @Override
    public List<Root> roots() {
        List<Root> out = new ArrayList<>();
        for (Roots.Root r : sensor.recognizer().roots().alive(clock)) {
            out.add(new Root(r.pid(), r.name(), r.reason(), r.sinceEpochMillis()));
        }
        return out;
    }

    @Override
    public Stats stats() {
        SensorCounters c = counters();
        KernelCounters.Snapshot k = c.kernel();
        PipelineStats p = c.pipeline();
        DecodeStats d = p.decode();
        RingStats ring = c.ring();
        Map<String, Map<String, Long>> hooks = new LinkedHashMap<>();
        hooks.put("exec", ordered("seen", k.get(KernelCounter.EXEC_SEEN), "sent", k.get(KernelCounter.EXEC_SENT),
                "drops", k.get(KernelCounter.DROP_EXEC_RINGBUF_FULL)));
        hooks.put("connect", ordered("seen", k.get(KernelCounter.CONNECT_SEEN), "sent",
                k.get(KernelCounter.CONNECT_SENT), "drops", k.get(KernelCounter.DROP_CONNECT_RINGBUF_FULL)));
        Map<String, Long> lineage = ordered("added", k.get(KernelCounter.LINEAGE_ADDED), "add_failed",
                k.get(KernelCounter.LINEAGE_ADD_FAILED), "servers_recognised", p.serversRecognised(),
                "candidates_ignored", p.candidatesIgnored(), "process_table_evictions",
                c.processTableEvictions(), "process_table_stale", c.processTableStale());
        for (ServerRecognizer.Counter rc : c.recognition()) {
            lineage.put(rc.name(), rc.value());
        }
        hooks.put("lineage", lineage);
        hooks.put("fork", ordered("sent", k.get(KernelCounter.FORK_SENT), "drops",
                k.get(KernelCounter.DROP_FORK_RINGBUF_FULL)));
        hooks.put("listen", ordered("seen", k.get(KernelCounter.LISTEN_SEEN), "sent",
                k.get(KernelCounter.LISTEN_SENT), "drops", k.get(KernelCounter.DROP_LISTEN_RINGBUF_FULL)));
        hooks.put("ring", ordered("delivered", ring.deliveredRecords(), "discarded", ring.discardedRecords(),
                "invalid", ring.invalidRecords(), "skipped_bytes", ring.skippedBytes(), "handler_errors",
                ring.handlerErrors()));
        hooks.put("decode", ordered("decoded", d.decoded(), "bad_size", d.badSize(), "bad_version", d.badVersion(),
                "unknown_type", d.unknownType(), "read_failed", d.readFailed()));
        hooks.put("pipeline", ordered("events", p.events(), "alerts", p.alerts(), "rule_errors", p.ruleErrors(),
                "render_errors", p.renderErrors(), "enrichment_pending", p.enrichmentPending()));
        SlowReads.Stats e = c.enrichment();
        hooks.put("enrichment", ordered("requested", e.requested(), "completed", e.completed(), "missing",
                e.missing(), "queue_full", e.queueFull(), "queued", (long) e.queued()));
        Map<String, Map<String, Long>> rules = new LinkedHashMap<>();
        for (RuleStats r : sensor.engine().stats().rules()) {
            rules.put(r.id(), ordered("evaluated", r.evaluated(), "matched", r.matched(), "alerted", r.alerted(),
                    "suppressed_by_exception", r.suppressedByException(), "suppressed_by_rarity",
                    r.suppressedByRarity(), "suppressed_by_new_terms", r.suppressedByNewTerms(),
                    "suppressed_by_learning", r.suppressedByLearning(),
                    "suppressed_by_dedup", r.suppressedByDedup(), "held_back", r.heldBack(),
                    "slow_evaluations", r.slowEvaluations(), "slowest_evaluation_micros", r.slowestNanos() / 1000));
        }
        EngineStats.AlertBounds bounds = sensor.engine().stats().bounds();
        hooks.put("alert_bounds", ordered("per_rule", bounds.perRule(), "per_web_server", bounds.perWebServer(),
                "window_seconds", bounds.window().toSeconds(), "held_by_rule", bounds.heldByRule(),
                "held_by_web_server", bounds.heldByWebServer(), "web_server_evictions", bounds.serverEvictions()));
        Map<String, Map<String, Long>> sinks = new LinkedHashMap<>();
        for (Map.Entry<String, SinkStats> s : c.sinks().entrySet()) {
            SinkStats v = s.getValue();
            sinks.put(s.getKey(), ordered("offered", v.offered(), "written", v.written(), "dropped", v.dropped(),
                    "errors", v.errors(), "queued", (long) v.queued()));
        }
        for (SubscriberHub.SubscriberStats s : hub.subscribers()) {
            sinks.put("subscriber-" + s.id() + "-" + s.kind(), ordered("delivered", s.delivered(), "dropped",
                    s.dropped(), "queued", (long) s.queued()));
        }
        if (incidents != null && sinks.containsKey(incidents.name())) {
            sinks.get(incidents.name()).putAll(incidents.counters()); // what each of its bounds cost
        }
        sinks.put("subscribers", ordered("dropped_total", hub.droppedTotal(), "alerts_published",
                hub.alertsPublished()));
        return new Stats(hooks, rules, sinks);
    }

    @Override
    public List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        Map<String, Boolean> enabled = enabledById();
        for (RuleMetadata r : sensor.engine().rules()) {
            out.add(new Rule(r.id(), r.title(), r.level().name().toLowerCase(), enabled.getOrDefault(r.id(), true),
                    r.source()));
        }
        return out;
    }

    @Override
    public RuleDetail rule(String id) {
        RuleMetadata r = find(id);
        String definition = definitionOf(r.source());
        return new RuleDetail(r.id(), r.title(), r.level().name().toLowerCase(),
                enabledById().getOrDefault(r.id(), true), r.source(), r.description(), r.tags(), definition);
    }

    @Override
    public Rule setRuleEnabled(String id, boolean enabled) {
        if (!sensor.engine().setEnabled(id, enabled)) {
            throw new SensorException.NotFound(SensorMessages.noRule(id));
        }
        RuleMetadata r = find(id);
        return new Rule(r.id(), r.title(), r.level().name().toLowerCase(), enabled, r.source());
    }

    @Override
    public ReloadResult reloadRules() {
        // Under the exceptions' lock: a reload re-reads the file, an add must not land in between.
        synchronized (exceptions) {
            exceptions.invalidate();
            try {
                RuleEngines.RuleSourceSet sources = RuleEngines.sources(config);
                if (!sources.unreadable().isEmpty()) {
                    throw new SensorException.Rejected(SensorMessages.RULES_NOT_RELOADED + ": " + sources.unreadable().size()
                            + " error(s); the running rules are unchanged",
                            sources.unreadable().stream().map(RuleError::toString).toList());
                }
                return applied(sensor.engine().reload(sources.rules(), sources.exceptions()), SensorMessages.RULES_NOT_RELOADED);
            } catch (ConfigException e) {
                throw new SensorException.Rejected(e.getMessage());
            }
        }
    }

    @Override
    public List<WebServer> webServers() {
        List<WebServer> out = new ArrayList<>();
        for (String n : call(() -> sensor.filter().names())) {
            boolean prefix = WebServerNames.isPrefix(n);
            out.add(new WebServer(WebServerNames.bare(n), prefix, sourceOfName(n)));
        }
        return out;
    }

    @Override
    public WebServer addWebServer(String name, boolean prefix) {
        String entry = prefix ? name + "*" : name;
        String problem = WebServerNames.validate(entry);
        if (problem != null) {
            throw new SensorException.Rejected("web-server name " + problem);
        }
        call(() -> {
            sensor.filter().addName(entry);
            return null;
        });
        return new WebServer(name, prefix, sourceOfName(entry));
    }

    @Override
    public WebServer removeWebServer(String name) {
        for (String entry : List.of(name, name + "*")) {
            if (call(() -> sensor.filter().removeName(entry))) {
                return new WebServer(name, entry.endsWith("*"), sourceOfName(entry));
            }
        }
        throw new SensorException.NotFound(SensorMessages.noWebServerName(name));
    }

    @Override
    public List<WebUser> webUsers() {
        List<WebUser> out = new ArrayList<>();
        for (long uid : call(() -> sensor.filter().uids())) {
            out.add(webUser(uid));
        }
        return out;
    }

    @Override
    public WebUser addWebUser(UserRef user) {
        long uid = resolve(user);
        call(() -> {
            sensor.filter().addUid(uid);
            return null;
        });
        return webUser(uid);
    }

    @Override
    public WebUser removeWebUser(UserRef user) {
        long uid = resolve(user);
        WebUser before = webUser(uid);
        if (!call(() -> sensor.filter().removeUid(uid))) {
            throw new SensorException.NotFound(SensorMessages.uidNotFollowed(uid));
        }
        return before;
    }

    @Override
    public List<AlertException> exceptions() {
        try {
            return exceptions.list();
        } catch (IOException e) {
            throw new SensorException.Failed("exceptions: cannot read " + exceptions.file() + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public AlertException addException(ExceptionSpec spec) {
        if (!"*".equals(spec.rule())) {
            find(spec.rule());
        }
        try {
            return exceptions.add(spec, engineSide);
        } catch (IOException e) {
            throw new SensorException.Failed("exceptions: cannot update " + exceptions.file() + ": "
                    + e.getMessage() + "; nothing was changed", e);
        }
    }

    @Override
    public AlertException removeException(String id) {
        try {
            AlertException removed = exceptions.remove(id, engineSide);
            if (removed == null) {
                throw new SensorException.NotFound(SensorMessages.noException(id));
            }
            return removed;
        } catch (IOException e) {
            throw new SensorException.Failed("exceptions: cannot update " + exceptions.file() + ": "
                    + e.getMessage() + "; nothing was changed", e);
        }
    }

    /** How an exceptions edit reaches the running engine: only the changed entry is compiled. */
    private final ExceptionStore.Engine engineSide = new ExceptionStore.Engine() {
        @Override
        public void add(RuleSource entries) {
            applied(sensor.engine().addExceptions(entries), SensorMessages.EXCEPTION_NOT_APPLIED);
        }

        @Override
        public void remove(String id) {
            sensor.engine().removeException(id);
        }
    };

    @Override
    public List<IncidentSummary> incidents(Duration since) {
        IncidentStore store = incidentStore();
        long sinceNs = since == null ? 0 : (System.currentTimeMillis() - since.toMillis()) * 1_000_000L;
        try {
            return store.list(sinceNs);
        } catch (IOException e) {
            throw new SensorException.Failed(e.getMessage(), e);
        }
    }

    @Override
    public IncidentDetail incident(long id) {
        IncidentStore.Detail detail;
        try {
            detail = incidentStore().show(id);
        } catch (IOException e) {
            throw new SensorException.Failed(e.getMessage(), e);
        }
        if (detail == null) {
            throw new SensorException.NotFound(SensorMessages.noIncident(id));
        }
        List<com.fasterxml.jackson.databind.JsonNode> docs = new ArrayList<>(detail.documents().size());
        for (String line : detail.documents()) {
            try {
                docs.add(io.spawnwatch.control.Protocol.JSON.readTree(line));
            } catch (IOException e) {
                throw new SensorException.Failed("incident " + id + ": a stored document is not JSON: "
                        + e.getMessage(), e);
            }
        }
        return new IncidentDetail(detail.summary(), docs);
    }

    private IncidentStore incidentStore() {
        if (incidents == null) {
            throw new SensorException.Rejected("incidents are off in this sensor's configuration"
                    + " (incidents.enabled: false)");
        }
        return incidents.store();
    }

    @Override
    public void shutdown() {
        stop.run();
    }

    private ReloadResult applied(io.spawnwatch.rules.ReloadResult result, String what) {
        if (!result.applied()) {
            List<String> details = new ArrayList<>();
            for (RuleError e : result.errors()) {
                details.add(e.toString());
            }
            throw new SensorException.Rejected(SensorMessages.refused(what, details.size()), details);
        }
        int enabled = (int) sensor.engine().stats().rules().stream().filter(RuleStats::enabled).count();
        return new ReloadResult(result.rules(), enabled);
    }

    private RuleMetadata find(String id) {
        for (RuleMetadata r : sensor.engine().rules()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        throw new SensorException.NotFound(SensorMessages.noRule(id));
    }

    private Map<String, Boolean> enabledById() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (RuleStats r : sensor.engine().stats().rules()) {
            out.put(r.id(), r.enabled());
        }
        return out;
    }

    private static String definitionOf(String source) {
        try {
            if (source.startsWith("builtin:")) {
                for (RuleSource s : RuleSource.builtin()) {
                    if (s.name().equals(source)) {
                        return s.text();
                    }
                }
                return null;
            }
            return Files.readString(Path.of(source));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** An entry the configuration names is "config"; anything else came over the socket. */
    private String sourceOfName(String entry) {
        return configNames.contains(entry) ? "config" : "runtime";
    }

    private WebUser webUser(long uid) {
        String name = users.name(uid);
        boolean known = !name.equals(Long.toString(uid));
        return new WebUser(uid, known ? io.spawnwatch.event.Utf8Chars.decode(name) : null, configUids.contains(uid) ? "config" : "runtime");
    }

    private long resolve(UserRef user) {
        return switch (user) {
            case UserRef.ById id -> id.uid();
            case UserRef.ByName n -> {
                long uid = users.uid(n.name());
                if (uid < 0) {
                    throw new SensorException.Rejected(SensorMessages.noSuchUser(n.name()));
                }
                yield uid;
            }
        };
    }

    private SensorCounters counters() {
        return call(sensor::counters);
    }

    private interface BpfCall<T> {
        T call() throws BpfException;
    }

    private static <T> T call(BpfCall<T> call) {
        try {
            return call.call();
        } catch (BpfException e) {
            throw new SensorException.Failed(e.getMessage(), e);
        }
    }

    private static Learning learning(io.spawnwatch.rules.LearningPeriod l) {
        return l.period().isZero() ? null
                : new Learning(l.start().toString(), l.end().toString(), java.time.Instant.now().isBefore(l.end()));
    }

    private static Map<String, Long> ordered(Object... kv) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
        }
        return m;
    }

    private static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
