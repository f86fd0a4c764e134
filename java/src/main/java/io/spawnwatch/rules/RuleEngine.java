package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.event.EventType;
import io.spawnwatch.event.EventView;
import io.spawnwatch.event.Field;
import io.spawnwatch.rules.alert.AlertBudget;
import io.spawnwatch.rules.alert.AlertDeduplicator;
import io.spawnwatch.rules.baseline.BaselineTable;
import io.spawnwatch.rules.baseline.Baselines;
import io.spawnwatch.rules.baseline.KeyHasher;
import io.spawnwatch.rules.engine.CompiledRule;
import io.spawnwatch.rules.engine.RuleCounters;
import io.spawnwatch.rules.engine.RuleSet;
import io.spawnwatch.rules.engine.RuleSetCompiler;
import io.spawnwatch.rules.exceptions.ExceptionList;
import io.spawnwatch.rules.sigma.FieldCatalog;
import io.spawnwatch.rules.sigma.RuleExtension;
import io.spawnwatch.rules.sigma.SigmaRule;
import io.spawnwatch.rules.yaml.YamlException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates the detection rules over events and hands surviving alerts to a
 * sink. The lead's side of issue 3:
 *
 * <pre>{@code
 * RuleEngine engine = RuleEngine.open(config, RuleSource.builtin(), exceptionsOrNull);
 * engine.loadErrors().forEach(e -> log(e.format()));   // refused rules; the rest run
 * engine.evaluate(event, (rule, ev, repeats) -> writeAlert(rule, ev, repeats));
 * engine.reload(sources, exceptions);                  // atomic; errors keep the old set
 * engine.setEnabled(ruleId, false);
 * engine.stats();
 * engine.close();                                      // commits baselines
 * }</pre>
 *
 * <p>Per event: the rules of its type run their compiled detection (no
 * allocation when nothing matches). A match then passes, in order, the
 * operator exceptions, the rule's rarity or new-terms baseline, the
 * repeat suppression and the alert bounds (per rule, per web server); only
 * what survives reaches the sink, and a bound that held alerts back sends one
 * summary alert with their count when its window ends. {@code evaluate}
 * may be called from several threads, though the sensor uses one.
 *
 * <p>Every detection is timed: one slower than {@link #SLOW_EVALUATION_NANOS}
 * is counted against its rule, and the evaluation in progress (rule and age) is
 * visible to other threads through {@link #stats()}, so a stuck or slow rule
 * shows in {@code status} instead of looking like a quiet host.
 */
public final class RuleEngine implements AutoCloseable {
    /**
     * One detection over one event taking longer than this (100 ms of wall time) is counted as slow against
     * its rule. Well above what a busy machine's scheduling adds, far below what a stuck rule takes.
     */
    public static final long SLOW_EVALUATION_NANOS = 100_000_000L;
    /** Web servers whose alert budget is tracked at once. */
    private static final int MAX_BUDGET_SERVERS = 4096;

    private final Baselines baselines;
    private final AlertDeduplicator dedup;
    private final KeyHasher hasher;
    private final Object stateLock = new Object();
    private final Map<String, RuleCounters> counters = new ConcurrentHashMap<>();
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();
    private final Map<String, java.util.concurrent.atomic.AtomicLong> exceptionHits = new ConcurrentHashMap<>();
    private final List<RuleError> loadErrors;
    private volatile RuleSet active;
    /** Serialises every change of {@link #active}: reloads and exception edits never lose each other. */
    private final Object swapLock = new Object();
    /** The Sigma rules {@link #active} was bound from, to rebind with other exceptions without recompiling. */
    private List<SigmaRule> compiledRules; // guarded by swapLock
    /** The rule whose detection runs now and since when (System.nanoTime); null between rules. */
    private volatile CompiledRule evaluating;
    private volatile long evaluatingSince;
    private AlertBudget budget; // guarded by stateLock
    private DetectionConfig.AlertBounds bounds; // guarded by stateLock
    private volatile LearningPeriod learning;
    /** {@link #learning}'s end in epoch ns (event time), read per match. */
    private volatile long learningEndNanos;

    private RuleEngine(DetectionConfig config, Baselines baselines, LearningPeriod learning) {
        this.baselines = baselines;
        this.bounds = config.alertBounds();
        this.budget = newBudget(bounds);
        this.hasher = new KeyHasher(baselines.keySeed());
        setLearning(learning);
        this.dedup = new AlertDeduplicator(config.suppression().maxKeys());
        this.disabled.addAll(config.disabledRules());
        this.loadErrors = new ArrayList<>();
    }

    /**
     * Opens the baseline store and compiles the rules. A rule or exception
     * with an error is refused (see {@link #loadErrors}); the others run.
     *
     * @param exceptions the operator's exceptions file, or null
     * @throws DetectionException.StateStore when the store cannot be opened
     * @throws DetectionException.BadConfig when the configuration names unknown fields
     */
    public static RuleEngine open(DetectionConfig config, List<RuleSource> rules, RuleSource exceptions) {
        suppressionFields(config.suppression().keyFields());
        Baselines baselines;
        try {
            baselines = Baselines.open(config.statePath() == null ? null : Path.of(config.statePath()),
                    config.baselineMaxEntries(), config.baselineFlushInterval());
        } catch (SQLException e) {
            throw new DetectionException.StateStore("baseline store " + config.statePath() + ": cannot open: "
                    + e.getMessage(), e);
        }
        LearningPeriod learning;
        try {
            learning = LearningPeriod.open(config.statePath() == null ? null : Path.of(config.statePath()),
                    config.learningPeriod(), java.time.Instant.now());
        } catch (DetectionException e) {
            closeQuietly(baselines);
            throw e;
        }
        RuleEngine engine = new RuleEngine(config, baselines, learning);
        RuleSetCompiler.Result compiled = RuleSetCompiler.compile(rules, config);
        ExceptionList.Loaded ex = loadExceptions(exceptions, config, compiled.rules());
        engine.loadErrors.addAll(compiled.errors());
        engine.loadErrors.addAll(ex.errors());
        engine.compiledRules = compiled.rules();
        engine.active = engine.bind(compiled.rules(), ex.list(), config);
        return engine;
    }

    /** Every rule or exception refused when the engine opened. */
    public List<RuleError> loadErrors() {
        return List.copyOf(loadErrors);
    }

    /**
     * Evaluates one event into {@code matches}, cleared first: the sensor's form, one reusable list per reader,
     * read once this returns.
     */
    public void evaluate(EventView event, RuleMatches matches) {
        matches.clear();
        evaluate(event, (AlertSink) matches);
    }

    /** Evaluates one event; see the class comment for the pipeline. */
    public void evaluate(EventView event, AlertSink sink) {
        final CompiledRule[] rules = active.forType(event.type());
        sendSummaries(event, sink);
        for (CompiledRule rule : rules) {
            final RuleCounters c = rule.counters;
            if (!c.enabled) {
                continue;
            }
            c.evaluated.incrementAndGet();
            final long start = System.nanoTime();
            evaluatingSince = start;
            evaluating = rule;
            final boolean matched;
            try {
                matched = rule.detection.matches(event);
            } finally {
                evaluating = null;
                timed(rule, System.nanoTime() - start);
            }
            if (matched) {
                onMatch(rule, event, sink);
            }
        }
    }

    /**
     * Counts a slow evaluation against its rule. No logging here: this runs on
     * the reader thread and must not allocate; the daemon logs the counters.
     */
    private static void timed(CompiledRule rule, long nanos) {
        if (nanos <= SLOW_EVALUATION_NANOS) {
            return;
        }
        RuleCounters c = rule.counters;
        c.slowEvaluations.incrementAndGet();
        c.slowestNanos.accumulateAndGet(nanos, Math::max);
    }

    /** Sends the summary of every alert-bound window that ended having held alerts back. */
    private void sendSummaries(EventView event, AlertSink sink) {
        List<AlertBudget.Summary> due;
        synchronized (stateLock) {
            due = budget.due(event.timestampNanos());
        }
        if (due.isEmpty()) {
            return;
        }
        for (AlertBudget.Summary s : due) {
            CompiledRule rule = s.perRule() ? active.byId().get(s.ruleId()) : null;
            sink.alert(summaryOf(s, rule, event.type()), event, s.heldBack());
        }
    }

    private RuleMetadata summaryOf(AlertBudget.Summary s, CompiledRule rule, EventType type) {
        DetectionConfig.AlertBounds b = active.config().alertBounds();
        String bound = s.perRule() ? b.perRule() + " alerts per " + io.spawnwatch.time.Durations.format(b.window()) + " for one rule"
                : b.perWebServer() + " alerts per " + io.spawnwatch.time.Durations.format(b.window()) + " for one web server";
        String title = "Alerts held back: " + s.heldBack() + " alerts of " + s.subject() + " over the bound of "
                + bound;
        String description = "spawnwatch sends at most " + bound + " (detection.alert_bounds); " + s.heldBack()
                + " more were counted and not sent in the window that began with this bound's first alert."
                + " spawnwatch.repeats_suppressed carries the count; this alert's process fields are those of the"
                + " event that closed the window.";
        RuleMetadata base = rule != null ? rule.metadata : null;
        return new RuleMetadata(base != null ? base.id() : ALERT_BOUND_RULE_ID, title, description, "1", "stable",
                base != null ? base.level() : io.spawnwatch.rules.model.RuleLevel.MEDIUM, base != null ? base.eventType() : type, "spawnwatch",
                base != null ? base.tags() : List.of(), List.of(), List.of(),
                base != null ? base.attack() : io.spawnwatch.rules.model.MitreAttack.fromTags(List.of()),
                base != null ? base.source() : "spawnwatch:alert_bounds");
    }

    /** The rule id of the per-web-server summary alert (per-rule summaries carry the rule's own id). */
    public static final String ALERT_BOUND_RULE_ID = "5b1c1a6e-8f0e-4b53-9d7e-a1e2b0c0d5e1";

    private void onMatch(CompiledRule rule, EventView event, AlertSink sink) {
        RuleCounters c = rule.counters;
        c.matched.incrementAndGet();
        if (ExceptionList.excluding(rule.exceptions, event) != null) {
            c.suppressedByException.incrementAndGet();
            return;
        }
        if (rule.rarity != null) {
            sink.rarityCandidate(rule.metadata, event);
        }
        long now = event.timestampNanos();
        long repeats;
        boolean quietByBaseline = false;
        synchronized (stateLock) {
            BaselineTable table = rule.baseline;
            if (rule.rarity != null) {
                hasher.hashInto(rule.baselineDomain, event, rule.rarity.groupBy());
                int seen = table.observeRarity(hasher.hi(), hasher.lo(), now, rule.rarity.threshold(),
                        rule.rarity.window().toNanos());
                if (seen >= rule.rarity.threshold()) {
                    c.suppressedByRarity.incrementAndGet();
                    quietByBaseline = true;
                }
            } else if (rule.newTerms != null) {
                hasher.hashInto(rule.baselineDomain, event, rule.newTerms.fields());
                if (!table.observeNewTerm(hasher.hi(), hasher.lo(), now, rule.newTerms.window().toNanos())) {
                    c.suppressedByNewTerms.incrementAndGet();
                    quietByBaseline = true;
                }
            }
            if (!quietByBaseline && table != null && now < learningEndNanos) {
                // Learning: the baseline has recorded this event; the alert is held back and counted.
                c.suppressedByLearning.incrementAndGet();
                quietByBaseline = true;
            }
            if (quietByBaseline) {
                repeats = -1;
            } else if (rule.suppressWindowNanos > 0) {
                hasher.hashInto(rule.suppressDomain, event, rule.suppressKey);
                repeats = dedup.admit(hasher.hi(), hasher.lo(), now, rule.suppressWindowNanos);
                if (repeats < 0) {
                    c.suppressedByDedup.incrementAndGet();
                }
            } else {
                repeats = 0;
            }
        }
        if (rule.baseline != null) {
            baselines.afterChange(rule.baseline);
        }
        if (repeats < 0) {
            return;
        }
        boolean admitted;
        synchronized (stateLock) {
            long root = event.number(Field.LINEAGE_ROOT_PID);
            admitted = budget.admit(rule.metadata.id(), rule.metadata.title(), root == EventView.ABSENT ? -1 : root,
                    event.text(Field.LINEAGE_ROOT_NAME), now);
        }
        if (!admitted) {
            c.heldBack.incrementAndGet();
            return;
        }
        c.alerted.incrementAndGet();
        sink.alert(rule.metadata, event, repeats);
    }

    /**
     * Records an event in the baselines of the rarity and new-terms rules
     * whose detection it matches (and no exception excludes), raising nothing:
     * seeding baselines from a recording of normal activity, so that a new
     * install does not report all of it as new or rare. Uses the event's own time.
     *
     * @return how many baselines the event updated
     */
    public int seed(EventView event) {
        int updated = 0;
        for (CompiledRule rule : active.forType(event.type())) {
            if (rule.baseline == null || !rule.counters.enabled || !rule.detection.matches(event)
                    || ExceptionList.excluding(rule.exceptions, event) != null) {
                continue;
            }
            long now = event.timestampNanos();
            synchronized (stateLock) {
                if (rule.rarity != null) {
                    hasher.hashInto(rule.baselineDomain, event, rule.rarity.groupBy());
                    rule.baseline.observeRarity(hasher.hi(), hasher.lo(), now, rule.rarity.threshold(),
                            rule.rarity.window().toNanos());
                } else {
                    hasher.hashInto(rule.baselineDomain, event, rule.newTerms.fields());
                    rule.baseline.observeNewTerm(hasher.hi(), hasher.lo(), now, rule.newTerms.window().toNanos());
                }
            }
            baselines.afterChange(rule.baseline);
            updated++;
        }
        return updated;
    }

    /**
     * Compiles new rules (and exceptions) with the current configuration and
     * swaps them in atomically. With any error nothing changes and every
     * error is returned.
     */
    public ReloadResult reload(List<RuleSource> rules, RuleSource exceptions) {
        return reload(active.config(), rules, exceptions);
    }

    /**
     * As {@link #reload(List, RuleSource)} with a new configuration (new
     * internal ranges, ports, windows). The state path and the baseline and
     * suppression bounds are fixed while running: changing them is an error.
     */
    public ReloadResult reload(DetectionConfig config, List<RuleSource> rules, RuleSource exceptions) {
        synchronized (swapLock) {
            return reloadLocked(config, rules, exceptions);
        }
    }

    /**
     * Adds exceptions to the running set without recompiling the rules: the
     * cost of an add does not grow with the rules or with the exceptions
     * already there (beyond binding each rule's list).
     *
     * @param entries an exceptions file holding only the new entries
     * @return applied, or not applied with every error (nothing changes then)
     */
    public ReloadResult addExceptions(RuleSource entries) {
        synchronized (swapLock) {
            RuleSet current = active;
            ExceptionList.Loaded added = ExceptionList.parse(entries.name(), entries.text(), current.config(),
                    current.byId().keySet());
            List<RuleError> errors = new ArrayList<>(added.errors());
            for (ExceptionList.Entry e : added.list().entries()) {
                if (current.exceptions().find(e.id()) != null) {
                    errors.add(new RuleError(entries.name(), 0, "duplicate exception id '" + e.id() + "'"));
                }
            }
            if (!errors.isEmpty()) {
                return new ReloadResult(false, current.byId().size(), errors);
            }
            active = bind(compiledRules, current.exceptions().plus(added.list()), current.config());
            return new ReloadResult(true, current.byId().size(), List.of());
        }
    }

    /** Removes one exception from the running set; false when there is none with that id. */
    public boolean removeException(String id) {
        synchronized (swapLock) {
            RuleSet current = active;
            if (current.exceptions().find(id) == null) {
                return false;
            }
            active = bind(compiledRules, current.exceptions().without(id), current.config());
            exceptionHits.remove(id);
            return true;
        }
    }

    /** How many exceptions are in force. */
    public int exceptionCount() {
        return active.exceptions().entries().size();
    }

    private ReloadResult reloadLocked(DetectionConfig config, List<RuleSource> rules, RuleSource exceptions) {
        DetectionConfig old = active.config();
        List<RuleError> errors = new ArrayList<>();
        if (!java.util.Objects.equals(old.statePath(), config.statePath())
                || !old.baselineMaxEntries().equals(config.baselineMaxEntries())
                || !old.baselineFlushInterval().equals(config.baselineFlushInterval())
                || !old.suppression().maxKeys().equals(config.suppression().maxKeys())) {
            errors.add(new RuleError("configuration", 0, "state_path, baseline_max_entries,"
                    + " baseline_flush_interval and suppression.max_keys change only with a restart"));
        }
        try {
            suppressionFields(config.suppression().keyFields());
        } catch (DetectionException.BadConfig e) {
            errors.add(new RuleError("configuration", 0, e.getMessage()));
        }
        RuleSetCompiler.Result compiled = RuleSetCompiler.compile(rules, config);
        ExceptionList.Loaded ex = loadExceptions(exceptions, config, compiled.rules());
        errors.addAll(compiled.errors());
        errors.addAll(ex.errors());
        if (!errors.isEmpty()) {
            return new ReloadResult(false, active.byId().size(), errors);
        }
        RuleSet next = bind(compiled.rules(), ex.list(), config);
        compiledRules = compiled.rules();
        synchronized (stateLock) {
            if (!config.alertBounds().equals(bounds)) {
                bounds = config.alertBounds();
                budget = newBudget(bounds);
            }
        }
        setLearning(new LearningPeriod(learning.start(), config.learningPeriod()));
        active = next;
        return new ReloadResult(true, next.byId().size(), List.of());
    }

    private void setLearning(LearningPeriod l) {
        learning = l;
        learningEndNanos = l.period().isZero() ? Long.MIN_VALUE : l.endNanos();
    }

    /** The learning period of rarity and new-terms rules (its end equals its start when there is none). */
    public LearningPeriod learning() {
        return learning;
    }

    /** Enables or disables a rule by id (kept across reloads); false when no such rule is loaded. */
    public boolean setEnabled(String ruleId, boolean enabled) {
        if (enabled) {
            disabled.remove(ruleId);
        } else {
            disabled.add(ruleId);
        }
        CompiledRule r = active.byId().get(ruleId);
        if (r == null) {
            return false;
        }
        r.counters.enabled = enabled;
        return true;
    }

    /** The loaded rules, in load order. */
    public List<RuleMetadata> rules() {
        return active.byId().values().stream().map(r -> r.metadata).toList();
    }

    public EngineStats stats() {
        List<RuleStats> rules = new ArrayList<>();
        for (CompiledRule r : active.byId().values()) {
            RuleCounters c = r.counters;
            rules.add(new RuleStats(r.metadata.id(), r.metadata.title(), r.metadata.level().sigmaName(), c.enabled,
                    c.evaluated.get(), c.matched.get(), c.suppressedByException.get(), c.suppressedByRarity.get(),
                    c.suppressedByNewTerms.get(), c.suppressedByLearning.get(), c.suppressedByDedup.get(),
                    c.alerted.get(), c.heldBack.get(), c.slowEvaluations.get(), c.slowestNanos.get(),
                    r.metadata.source()));
        }
        List<EngineStats.ExceptionStats> exceptions = active.exceptions().entries().stream()
                .map(e -> new EngineStats.ExceptionStats(e.id(), e.hits().get()))
                .toList();
        int dedupKeys;
        long dedupEvictions;
        EngineStats.AlertBounds alertBounds;
        synchronized (stateLock) {
            dedupKeys = dedup.size();
            dedupEvictions = dedup.evictions();
            alertBounds = new EngineStats.AlertBounds(bounds.perRule(), bounds.perWebServer(), bounds.window(),
                    budget.heldByRule(), budget.heldByWebServer(), budget.evictions());
        }
        return new EngineStats(rules, exceptions, baselines.tableStats(), baselines.storeStats(), dedupKeys,
                dedupEvictions, alertBounds, busy(), learning);
    }

    /** The evaluation in progress when it has run longer than the slow bound, else null. */
    public EngineStats.Busy busy() {
        CompiledRule rule = evaluating;
        long age = System.nanoTime() - evaluatingSince;
        if (rule == null || age <= SLOW_EVALUATION_NANOS) {
            return null;
        }
        return new EngineStats.Busy(rule.metadata.id(), age);
    }

    private static AlertBudget newBudget(DetectionConfig.AlertBounds b) {
        return new AlertBudget(b.perRule(), b.perWebServer(), b.window().toNanos(), MAX_BUDGET_SERVERS);
    }

    /** Commits pending baseline changes now. */
    public void flush() {
        try {
            baselines.flush();
        } catch (SQLException e) {
            throw new DetectionException.StateStore("baseline store: flush failed: " + e.getMessage(), e);
        }
    }

    /** Baseline rows on disk for a rule's tracker (tests and diagnostics). */
    long storedBaselineRows(String ruleId) throws SQLException {
        CompiledRule r = active.byId().get(ruleId);
        return r == null || r.baseline == null ? 0 : baselines.storedRows(r.baseline.name());
    }

    @Override
    public void close() {
        try {
            baselines.close();
        } catch (SQLException e) {
            throw new DetectionException.StateStore("baseline store: close failed: " + e.getMessage(), e);
        }
    }

    private RuleSet bind(List<SigmaRule> rules, ExceptionList loaded, DetectionConfig config) {
        ExceptionList exceptions = loaded.withCounters(exceptionHits);
        List<Field> defaultKey = suppressionFields(config.suppression().keyFields());
        List<CompiledRule> bound = new ArrayList<>();
        for (SigmaRule rule : rules) {
            String id = rule.id();
            RuleCounters c = counters.computeIfAbsent(id, k -> new RuleCounters());
            c.enabled = !disabled.contains(id);
            RuleExtension ext = rule.extension();
            String tracker = CompiledRule.trackerName(id, ext);
            BaselineTable table = tracker == null ? null : baselines.table(tracker);
            RuleExtension.Suppress s = ext.suppress();
            List<Field> key = withLineageRoot(s != null && s.key() != null ? s.key() : defaultKey);
            long window = (s != null && s.window() != null ? s.window() : config.suppression().window()).toNanos();
            bound.add(new CompiledRule(rule.metadata(), rule.detection(), c, exceptions.forRule(id), ext, table, key,
                    window));
        }
        return new RuleSet(bound, exceptions, config);
    }

    /**
     * Every suppression key ends with the lineage root (the web server the
     * event descends from): the same reverse shell from a second web server on
     * the host is another alert, not a repeat of the first one's.
     */
    static List<Field> withLineageRoot(List<Field> key) {
        List<Field> out = new ArrayList<>(key);
        for (Field f : LINEAGE_ROOT_KEY) {
            if (!out.contains(f)) {
                out.add(f);
            }
        }
        return List.copyOf(out);
    }

    /** The fields that identify a lineage root: its pid and start time (a reused pid is another server). */
    private static final List<Field> LINEAGE_ROOT_KEY = List.of(Field.LINEAGE_ROOT_PID, Field.LINEAGE_ROOT_START);

    private static void closeQuietly(Baselines b) {
        try {
            b.close();
        } catch (SQLException e) {
            // already failing: the caller's error is the one to report
        }
    }

    private static ExceptionList.Loaded loadExceptions(RuleSource src, DetectionConfig config, List<SigmaRule> rules) {
        if (src == null) {
            return new ExceptionList.Loaded(ExceptionList.EMPTY, List.of());
        }
        Set<String> ids = new HashSet<>();
        rules.forEach(r -> ids.add(r.id()));
        return ExceptionList.parse(src.name(), src.text(), config, ids);
    }

    private static List<Field> suppressionFields(List<String> names) {
        List<Field> out = new ArrayList<>();
        for (String n : names) {
            try {
                out.add(FieldCatalog.resolve(n, 0, (EventType) null));
            } catch (YamlException e) {
                throw new DetectionException.BadConfig("suppression.key_fields: " + e.getMessage());
            }
        }
        return out;
    }
}
