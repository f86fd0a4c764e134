package io.spawnwatch.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.spawnwatch.incident.IncidentSummary;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the control socket can ask of the running sensor. The daemon implements
 * it; {@link ControlServer} calls it from connection threads, several at once,
 * so implementations must be thread-safe. None of these calls is on the event
 * path; they may take locks the event path does not take.
 *
 * <p>Errors: throw a {@link SensorException} ({@code NotFound}, {@code Rejected}
 * with every reason in {@code details}, or {@code Failed}); any other exception
 * is reported as {@code sensor_error} and logged. Arguments arrive validated
 * (non-null, within the documented ranges).
 *
 * <p>Results are serialised with Jackson, record components in snake_case
 * ({@code rulesLoaded} becomes {@code rules_loaded}); Map keys are kept as given.
 */
public interface SensorControl {

    /** Health at a glance ({@code spawnwatch status}). */
    Status status();

    /** Counters per hook, per rule and per sink ({@code spawnwatch stats}). */
    Stats stats();

    /** Every loaded rule, enabled or not, in a stable order. */
    List<Rule> rules();

    /** One rule with its definition; {@code NotFound} when no rule has this id. */
    RuleDetail rule(String id);

    /** Enables or disables a rule live; idempotent; returns the rule as it now is. */
    Rule setRuleEnabled(String id, boolean enabled);

    /**
     * Re-reads the rule files and swaps them in atomically. When any file has an
     * error, throws {@code Rejected} with every error in {@code details} and the
     * running rules stay exactly as they were.
     */
    ReloadResult reloadRules();

    /** The web-server names and prefixes in the kernel filter. */
    List<WebServer> webServers();

    /** The lineage roots in force (live processes only), oldest first. */
    List<Root> roots();

    /**
     * Adds a name (an exact comm, or a prefix when {@code prefix}) to the kernel
     * filter; idempotent. {@code name} is 1 to 15 bytes of UTF-8, the comm size.
     */
    WebServer addWebServer(String name, boolean prefix);

    /** Removes an entry from the kernel filter; {@code NotFound} when absent. */
    WebServer removeWebServer(String name);

    /** The web-server uids in the kernel filter. */
    List<WebUser> webUsers();

    /** Adds a uid (given as a number, or a name to resolve) to the kernel filter; idempotent. */
    WebUser addWebUser(UserRef user);

    /** Removes a uid from the kernel filter; {@code NotFound} when absent. */
    WebUser removeWebUser(UserRef user);

    /** Alert exceptions (suppressions), persisted across restarts. */
    List<AlertException> exceptions();

    /** Adds and persists an exception; {@code Rejected} for an unknown rule or field. */
    AlertException addException(ExceptionSpec spec);

    /** Removes and persists; {@code NotFound} when no exception has this id. */
    AlertException removeException(String id);

    /**
     * Incidents whose last document is at most {@code since} old (null: all),
     * oldest first; {@code Rejected} when incidents are off.
     */
    List<IncidentSummary> incidents(Duration since);

    /** One incident with its documents; {@code NotFound} when no incident has this id. */
    IncidentDetail incident(long id);

    /**
     * Begins an orderly stop and returns without waiting for it. The server has
     * already answered the client; the daemon then closes the server as part of
     * its normal stop.
     */
    void shutdown();

    // ------------------------------------------------------------------ types

    /**
     * @param version sensor version
     * @param uptimeSeconds seconds since the sensor started
     * @param kernel {@code uname -r}
     * @param hooks one entry per probe (exec, fork, exit, connect)
     * @param ringBytes ring buffer size
     * @param eventsPerSecond events read from the ring, recent rate
     * @param alertsPerSecond alerts emitted, recent rate
     * @param drops records lost, kernel side (failed reserves) and user side
     * @param rulesLoaded rules loaded (enabled or not)
     * @param rulesEnabled rules enabled
     * @param configPath the configuration file, or null for the embedded defaults
     * @param alertsHeldBack alerts held back by the alert bounds since start (sent as counts in summary alerts)
     * @param warnings what looks wrong now, one line each (a stuck or slow rule, a failing baseline
     *     store, alerts held back); empty when all is well
     * @param roots the web servers (lineage roots) in force, and why each is one
     * @param learning the learning period of rarity and new-terms rules, null when none is configured
     */
    record Status(String version, long uptimeSeconds, String kernel, List<Hook> hooks, long ringBytes,
            double eventsPerSecond, double alertsPerSecond, Drops drops, int rulesLoaded, int rulesEnabled,
            String configPath, long alertsHeldBack, List<String> warnings, List<Root> roots,
            Learning learning) {}

    /**
     * A lineage root in force: a live process the sensor follows as a web
     * server.
     *
     * @param pid its pid
     * @param name its comm when it became a root
     * @param reason why it is one, e.g. "runtime node, listening on TCP port 3000"
     * @param since when it became one, epoch milliseconds
     */
    record Root(int pid, String name, String reason, long since) {}

    /**
     * The learning period of rarity and new-terms rules (ISO-8601 instants):
     * until {@code end} they record what they see without alerting. Null in
     * {@link Status} when no learning period is configured.
     */
    record Learning(String start, String end, boolean active) {}

    /**
     * @param probe what is watched: "exec", "fork", "exit", "connect"
     * @param hook the program attached, e.g. "tp_btf/inet_sock_set_state"
     * @param fallback null when the first choice attached; otherwise why each
     *     earlier choice was not used, e.g. "fentry/tcp_connect: EPERM (no
     *     trampolines); kprobe/tcp_connect: ENOENT (CONFIG_KPROBES off)"
     */
    record Hook(String probe, String hook, String fallback) {}

    /** Records lost: in the kernel (failed ring reserves, all CPUs) and in user space. */
    record Drops(long kernel, long user) {}

    /**
     * Counters by name, e.g. hooks {"exec": {"events": 10, "drops": 0}}, rules
     * {"web-shell": {"matches": 3}}, sinks {"stdout": {"written": 3, "errors": 0}}.
     */
    record Stats(Map<String, Map<String, Long>> hooks, Map<String, Map<String, Long>> rules,
            Map<String, Map<String, Long>> sinks) {}

    /**
     * @param id rule id (Sigma {@code id} or file-derived name)
     * @param level Sigma level: informational, low, medium, high, critical
     * @param source where it came from: "builtin" or a file path
     */
    record Rule(String id, String title, String level, boolean enabled, String source) {}

    /** A rule and its definition (the YAML text as loaded). */
    record RuleDetail(String id, String title, String level, boolean enabled, String source, String description,
            List<String> tags, String definition) {}

    /** After a successful reload: how many rules are loaded and enabled now. */
    record ReloadResult(int rulesLoaded, int rulesEnabled) {}

    /**
     * @param prefix true when {@code name} matches every comm that starts with it
     * @param source "builtin", "config" or "runtime" (added over the socket)
     */
    record WebServer(String name, boolean prefix, String source) {}

    /** A web-server uid; {@code name} null when no user has it. */
    record WebUser(long uid, String name, String source) {}

    /** A user as the client named it: a number, or a name for the sensor to resolve. */
    sealed interface UserRef {
        record ById(long uid) implements UserRef {}

        record ByName(String name) implements UserRef {}
    }

    /**
     * Suppresses alerts of {@code rule} ("*" for every rule) whose document has
     * every field in {@code match} equal to its value (ECS dotted names).
     */
    record ExceptionSpec(String rule, Map<String, String> match, String comment) {}

    /**
     * @param incident its summary, as {@link #incidents} lists it
     * @param documents its ECS documents, in the order the sensor stored them
     */
    record IncidentDetail(IncidentSummary incident, List<JsonNode> documents) {}

    /** A stored exception; {@code createdAt} is ISO-8601. */
    record AlertException(String id, String rule, Map<String, String> match, String comment, String createdAt) {}
}
