package io.spawnwatch.rules.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.spawnwatch.event.Field;
import io.spawnwatch.rules.match.CidrSet;
import io.spawnwatch.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The detection settings an operator can change, bound by Jackson from the
 * {@code detection:} section of the sensor's configuration (snake_case keys;
 * every key optional, unknown keys refused so a typo is not silently ignored).
 *
 * <p>The address and port lists are also Sigma placeholders: a rule writes
 * {@code DestinationIp|cidr|expand: '%internal_ranges%'} and gets this list
 * when it is compiled, which is how "internal ranges are configuration" works
 * with Sigma's own syntax. {@code lists} adds further named lists.
 *
 * <pre>{@code
 * detection:
 *   internal_ranges: [127.0.0.0/8, ::1/128, 10.0.0.0/8, ...]   # %internal_ranges%
 *   loopback_ranges: [127.0.0.0/8, ::1/128]                      # %loopback_ranges%
 *   allowed_ports: [80, 443, 8080, ...]                           # %allowed_ports%
 *   callback_ports: [888, 999, 2200, 2222, 4000, 4444, ...]       # %callback_ports%
 *   lists: {backup_hosts: [10.1.2.3]}                             # %backup_hosts%
 *   state_path: /var/lib/spawnwatch/baselines.db    # absent: baselines in memory only
 *   baseline_max_entries: 65536                     # per rule, in memory and on disk
 *   baseline_flush_interval: 1s                     # 0s: commit every update
 *   rarity: {threshold: 5, window: 61m}             # defaults for a rule's rarity block
 *   new_terms: {window: 7d}
 *   suppression: {window: 10m, key_fields: [Image, ParentImage, CommandLine], max_keys: 10000}
 *   disabled_rules: [<rule id>, ...]
 *   alert_bounds: {per_rule: 100, per_web_server: 200, window: 1m}
 *   learning_period: 7d     # rarity/new-terms rules learn silently this long after the
 *                           # baseline store was first created (0s, the default: no learning)
 * }</pre>
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record DetectionConfig(
        @JsonProperty("internal_ranges") List<String> internalRanges,
        @JsonProperty("loopback_ranges") List<String> loopbackRanges,
        @JsonProperty("allowed_ports") List<Integer> allowedPorts,
        @JsonProperty("callback_ports") List<Integer> callbackPorts,
        @JsonProperty("lists") Map<String, List<String>> lists,
        @JsonProperty("state_path") String statePath,
        @JsonProperty("baseline_max_entries") Integer baselineMaxEntries,
        @JsonProperty("baseline_flush_interval") @JsonDeserialize(using = Durations.Json.class)
                Duration baselineFlushInterval,
        @JsonProperty("rarity") Rarity rarity,
        @JsonProperty("new_terms") NewTerms newTerms,
        @JsonProperty("suppression") Suppression suppression,
        @JsonProperty("disabled_rules") List<String> disabledRules,
        @JsonProperty("alert_bounds") AlertBounds alertBounds,
        @JsonProperty("learning_period") @JsonDeserialize(using = Durations.Json.class) Duration learningPeriod) {

    /**
     * Elastic's "Uncommon Destination Port Connection by Web Server" cidrmatch list (its /29 and /32s
     * inside 192.0.0.0/24 are covered by that /24), plus fc00::/7 (unique local IPv6) from SigmaHQ's
     * callback-port rule's local ranges.
     */
    public static final List<String> DEFAULT_INTERNAL_RANGES = List.of(
            "127.0.0.0/8", "::1/128", "fe80::/10", "ff00::/8", "fc00::/7", "10.0.0.0/8", "169.254.0.0/16",
            "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24",
            "192.52.193.0/24", "192.88.99.0/24", "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");
    public static final List<String> DEFAULT_LOOPBACK_RANGES = List.of("127.0.0.0/8", "::1/128");
    public static final List<Integer> DEFAULT_ALLOWED_PORTS =
            List.of(80, 443, 8080, 8443, 8000, 8888, 3128, 3306, 5432, 8220, 8082);
    public static final List<Integer> DEFAULT_CALLBACK_PORTS =
            List.of(888, 999, 2200, 2222, 4000, 4444, 6789, 8531, 50501, 51820);

    /** Defaults for a rule's {@code spawnwatch.rarity} block. */
    public record Rarity(
            @JsonProperty("threshold") Integer threshold,
            @JsonProperty("window") @JsonDeserialize(using = Durations.Json.class) Duration window) {
        public Rarity {
            threshold = threshold == null ? 5 : threshold;
            window = window == null ? Duration.ofMinutes(61) : window;
            if (threshold < 1 || threshold > 1000) {
                throw new IllegalArgumentException("rarity.threshold must be 1..1000, not " + threshold);
            }
        }
    }

    /** Defaults for a rule's {@code spawnwatch.new_terms} block. */
    public record NewTerms(
            @JsonProperty("window") @JsonDeserialize(using = Durations.Json.class) Duration window) {
        public NewTerms {
            window = window == null ? Duration.ofDays(7) : window;
        }
    }

    /** Repeats of one alert key within {@code window} are counted, not sent. */
    public record Suppression(
            @JsonProperty("window") @JsonDeserialize(using = Durations.Json.class) Duration window,
            @JsonProperty("key_fields") List<String> keyFields,
            @JsonProperty("max_keys") Integer maxKeys) {
        public Suppression {
            window = window == null ? Duration.ofMinutes(10) : window;
            keyFields = keyFields == null ? List.of("Image", "ParentImage", "CommandLine") : List.copyOf(keyFields);
            maxKeys = maxKeys == null ? 10_000 : maxKeys;
            if (maxKeys < 1) {
                throw new IllegalArgumentException("suppression.max_keys must be positive");
            }
        }
    }

    /**
     * At most {@code perRule} alerts of one rule and {@code perWebServer} alerts
     * for one web server (lineage root) per {@code window}; the rest are held
     * back, counted, and reported in one summary alert per window.
     */
    public record AlertBounds(
            @JsonProperty("per_rule") Integer perRule,
            @JsonProperty("per_web_server") Integer perWebServer,
            @JsonProperty("window") @JsonDeserialize(using = Durations.Json.class) Duration window) {
        public AlertBounds {
            perRule = perRule == null ? 100 : perRule;
            perWebServer = perWebServer == null ? 200 : perWebServer;
            window = window == null ? Duration.ofMinutes(1) : window;
            if (perRule < 1 || perWebServer < 1) {
                throw new IllegalArgumentException("alert_bounds: per_rule and per_web_server must be positive");
            }
            if (window.isZero() || window.isNegative()) {
                throw new IllegalArgumentException("alert_bounds.window must be positive");
            }
        }
    }

    public DetectionConfig {
        internalRanges = checkRanges("internal_ranges", internalRanges, DEFAULT_INTERNAL_RANGES);
        loopbackRanges = checkRanges("loopback_ranges", loopbackRanges, DEFAULT_LOOPBACK_RANGES);
        allowedPorts = checkPorts("allowed_ports", allowedPorts, DEFAULT_ALLOWED_PORTS);
        callbackPorts = checkPorts("callback_ports", callbackPorts, DEFAULT_CALLBACK_PORTS);
        lists = lists == null ? Map.of() : Map.copyOf(lists);
        for (String name : lists.keySet()) {
            if (BUILT_IN_LISTS.contains(name)) {
                throw new IllegalArgumentException("lists: '" + name + "' is a built-in list; set it at top level");
            }
        }
        baselineMaxEntries = baselineMaxEntries == null ? 65_536 : baselineMaxEntries;
        if (baselineMaxEntries < 1) {
            throw new IllegalArgumentException("baseline_max_entries must be positive");
        }
        baselineFlushInterval = baselineFlushInterval == null ? Duration.ofSeconds(1) : baselineFlushInterval;
        rarity = rarity == null ? new Rarity(null, null) : rarity;
        newTerms = newTerms == null ? new NewTerms(null) : newTerms;
        suppression = suppression == null ? new Suppression(null, null, null) : suppression;
        disabledRules = disabledRules == null ? List.of() : List.copyOf(disabledRules);
        learningPeriod = learningPeriod == null ? Duration.ZERO : learningPeriod;
        if (learningPeriod.isNegative()) {
            throw new IllegalArgumentException("learning_period must not be negative, not " + learningPeriod);
        }
        alertBounds = alertBounds == null ? new AlertBounds(null, null, null) : alertBounds;
        if (statePath != null && !statePath.startsWith("/")) {
            throw new IllegalArgumentException("state_path: expected an absolute path, got '" + statePath + "'");
        }
    }

    private static final List<String> BUILT_IN_LISTS =
            List.of("internal_ranges", "loopback_ranges", "allowed_ports", "callback_ports");

    /** Every default; what {@code spawnwatch rules check} compiles against. */
    public static DetectionConfig defaults() {
        return new DetectionConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A copy with another state path (tests, and the CLI's --state option). */
    public DetectionConfig withStatePath(String path) {
        return new DetectionConfig(internalRanges, loopbackRanges, allowedPorts, callbackPorts, lists, path,
                baselineMaxEntries, baselineFlushInterval, rarity, newTerms, suppression, disabledRules,
                alertBounds, learningPeriod);
    }

    /** A copy with other internal ranges (e.g. loopback treated as external in a test). */
    public DetectionConfig withInternalRanges(List<String> ranges) {
        return new DetectionConfig(ranges, loopbackRanges, allowedPorts, callbackPorts, lists, statePath,
                baselineMaxEntries, baselineFlushInterval, rarity, newTerms, suppression, disabledRules,
                alertBounds, learningPeriod);
    }

    /** A copy with another loopback list. */
    public DetectionConfig withLoopbackRanges(List<String> ranges) {
        return new DetectionConfig(internalRanges, ranges, allowedPorts, callbackPorts, lists, statePath,
                baselineMaxEntries, baselineFlushInterval, rarity, newTerms, suppression, disabledRules,
                alertBounds, learningPeriod);
    }

    /** A copy with other baseline bounds. */
    public DetectionConfig withBaseline(int maxEntries, Duration flushInterval) {
        return new DetectionConfig(internalRanges, loopbackRanges, allowedPorts, callbackPorts, lists, statePath,
                maxEntries, flushInterval, rarity, newTerms, suppression, disabledRules,
                alertBounds, learningPeriod);
    }

    /** A copy with another learning period. */
    public DetectionConfig withLearningPeriod(Duration period) {
        return new DetectionConfig(internalRanges, loopbackRanges, allowedPorts, callbackPorts, lists, statePath,
                baselineMaxEntries, baselineFlushInterval, rarity, newTerms, suppression, disabledRules, alertBounds, period);
    }

    /** A copy with another suppression setting. */
    public DetectionConfig withSuppression(Suppression s) {
        return new DetectionConfig(internalRanges, loopbackRanges, allowedPorts, callbackPorts, lists, statePath,
                baselineMaxEntries, baselineFlushInterval, rarity, newTerms, s, disabledRules, alertBounds, learningPeriod);
    }

    /** A copy with other alert bounds. */
    public DetectionConfig withAlertBounds(AlertBounds b) {
        return new DetectionConfig(internalRanges, loopbackRanges, allowedPorts, callbackPorts, lists, statePath,
                baselineMaxEntries, baselineFlushInterval, rarity, newTerms, suppression, disabledRules, b, learningPeriod);
    }

    /** The named lists rules reach with {@code |expand: '%name%'}. */
    public Map<String, List<String>> placeholders() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("internal_ranges", internalRanges);
        out.put("loopback_ranges", loopbackRanges);
        out.put("allowed_ports", allowedPorts.stream().map(String::valueOf).toList());
        out.put("callback_ports", callbackPorts.stream().map(String::valueOf).toList());
        out.putAll(lists);
        return out;
    }

    private static List<String> checkRanges(String name, List<String> ranges, List<String> dflt) {
        if (ranges == null) {
            return dflt;
        }
        try {
            CidrSet.of(Field.DESTINATION_IP, ranges);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
        return List.copyOf(ranges);
    }

    private static List<Integer> checkPorts(String name, List<Integer> ports, List<Integer> dflt) {
        if (ports == null) {
            return dflt;
        }
        List<Integer> out = new ArrayList<>();
        for (Integer p : ports) {
            if (p == null || p < 0 || p > 65535) {
                throw new IllegalArgumentException(name + ": not a port: " + p);
            }
            out.add(p);
        }
        return List.copyOf(out);
    }
}
