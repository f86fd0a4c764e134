package io.spawnwatch.rules.exceptions;

import io.spawnwatch.event.EventView;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.match.Matcher;
import io.spawnwatch.rules.sigma.SelectionCompiler;
import io.spawnwatch.rules.sigma.ValueCompiler;
import io.spawnwatch.rules.yaml.YamlException;
import io.spawnwatch.rules.yaml.YamlTree;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import io.spawnwatch.rules.yaml.MappingNode;
import io.spawnwatch.rules.yaml.Node;
import io.spawnwatch.rules.yaml.NodeTuple;

/**
 * Operator-defined exclusions: events a rule would alert on that this site
 * has decided are fine. Loaded from a YAML file; each entry uses the same
 * field syntax and matcher semantics as a Sigma selection:
 *
 * <pre>{@code
 * exceptions:
 *   - id: php-version-probe            # required, unique: named in stats
 *     comment: the CMS asks PHP for its version on every deploy
 *     rules: [6f1a0c1e-...]            # optional; absent or [] = every rule
 *     created_at: 2026-11-27T22:00:00Z  # optional; set by `spawnwatch exceptions add`
 *     match:                            # a selection: map = AND, list of maps = OR
 *       ParentName|startswith: php-fpm
 *       CommandLine: "sh -c php -r 'echo phpversion();'"
 * }</pre>
 *
 * Checked only for events that matched a rule; each entry counts the alerts
 * it suppressed.
 */
public final class ExceptionList {
    /** One exclusion, compiled. */
    public record Entry(String id, Set<String> rules, Matcher matcher, String comment, AtomicLong hits) {
        public boolean global() {
            return rules.isEmpty();
        }
    }

    /** The result of loading: usable entries and every error found. */
    public record Loaded(ExceptionList list, List<RuleError> errors) {}

    public static final ExceptionList EMPTY = new ExceptionList(List.of());

    private final List<Entry> entries;

    private ExceptionList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * @param knownRuleIds rule ids an entry may name; null skips that check (lint)
     */
    public static Loaded parse(String source, String text, DetectionConfig config, Set<String> knownRuleIds) {
        List<RuleError> errors = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        List<Node> docs;
        try {
            docs = YamlTree.parseAll(text);
        } catch (YamlException e) {
            return new Loaded(EMPTY, List.of(new RuleError(source, e.line(), e.getMessage())));
        }
        if (docs.isEmpty()) {
            return new Loaded(EMPTY, List.of());
        }
        SelectionCompiler compiler = new SelectionCompiler(new ValueCompiler(config.placeholders()), null);
        Set<String> ids = new LinkedHashSet<>();
        try {
            MappingNode root = YamlTree.mapping(docs.getFirst(), "an exceptions file");
            Map<String, NodeTuple> top = YamlTree.entries(root, "exceptions file");
            for (String key : top.keySet()) {
                if (!key.equals("exceptions")) {
                    throw new YamlException(YamlTree.line(top.get(key).getKeyNode()),
                            "unknown key '" + key + "' (an exceptions file has one key: exceptions)");
                }
            }
            if (!top.containsKey("exceptions") || YamlTree.isNull(top.get("exceptions").getValueNode())) {
                return new Loaded(EMPTY, List.of());
            }
            for (Node item : YamlTree.sequence(top.get("exceptions").getValueNode(), "exceptions").getValue()) {
                try {
                    Entry e = entry(item, compiler, knownRuleIds);
                    if (!ids.add(e.id())) {
                        throw new YamlException(YamlTree.line(item), "duplicate exception id '" + e.id() + "'");
                    }
                    entries.add(e);
                } catch (YamlException e) {
                    errors.add(new RuleError(source, e.line(), e.getMessage()));
                }
            }
        } catch (YamlException e) {
            errors.add(new RuleError(source, e.line(), e.getMessage()));
        }
        return new Loaded(new ExceptionList(entries), List.copyOf(errors));
    }

    private static Entry entry(Node item, SelectionCompiler compiler, Set<String> knownRuleIds) {
        Map<String, NodeTuple> m = YamlTree.entries(YamlTree.mapping(item, "an exception"), "exception");
        for (Map.Entry<String, NodeTuple> e : m.entrySet()) {
            if (!List.of("id", "comment", "rules", "match", "created_at").contains(e.getKey())) {
                throw new YamlException(YamlTree.line(e.getValue().getKeyNode()), "unknown key '" + e.getKey()
                        + "' in exception (known: id, comment, rules, match, created_at)");
            }
        }
        if (!m.containsKey("id")) {
            throw new YamlException(YamlTree.line(item), "exception has no id");
        }
        String id = YamlTree.text(m.get("id").getValueNode(), "exception id");
        if (!m.containsKey("match")) {
            throw new YamlException(YamlTree.line(item), "exception '" + id + "' has no match");
        }
        Set<String> rules = new LinkedHashSet<>();
        if (m.containsKey("rules") && !YamlTree.isNull(m.get("rules").getValueNode())) {
            Node rn = m.get("rules").getValueNode();
            for (String r : YamlTree.texts(rn, "exception rules")) {
                if (knownRuleIds != null && !knownRuleIds.contains(r)) {
                    throw new YamlException(YamlTree.line(rn), "exception '" + id + "' names rule '" + r
                            + "', which is not loaded");
                }
                rules.add(r);
            }
        }
        String comment = m.containsKey("comment") ? YamlTree.text(m.get("comment").getValueNode(), "comment") : null;
        Matcher matcher = compiler.compile(m.get("match").getValueNode(), "exception '" + id + "'");
        return new Entry(id, Set.copyOf(rules), matcher, comment, new AtomicLong());
    }

    /**
     * This list with each entry's hit counter taken from {@code counters} by
     * id (created there when missing), so counts survive a reload.
     */
    public ExceptionList withCounters(Map<String, AtomicLong> counters) {
        return new ExceptionList(entries.stream()
                .map(e -> new Entry(e.id(), e.rules(), e.matcher(), e.comment(),
                        counters.computeIfAbsent(e.id(), k -> new AtomicLong())))
                .toList());
    }

    /** The entries that apply to a rule, global ones included, for the rule to keep. */
    public Entry[] forRule(String ruleId) {
        return entries.stream().filter(e -> e.global() || e.rules().contains(ruleId)).toArray(Entry[]::new);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The first entry that excludes the event, counting the hit; null when none does. */
    public static Entry excluding(Entry[] applicable, EventView event) {
        for (Entry e : applicable) {
            if (e.matcher().matches(event)) {
                e.hits().incrementAndGet();
                return e;
            }
        }
        return null;
    }
}
