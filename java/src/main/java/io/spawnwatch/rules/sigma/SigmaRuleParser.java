package io.spawnwatch.rules.sigma;

import io.spawnwatch.event.EventType;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.model.RuleLevel;
import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.rules.model.MitreAttack;
import io.spawnwatch.rules.match.Matcher;
import io.spawnwatch.rules.yaml.YamlException;
import io.spawnwatch.rules.yaml.YamlTree;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.spawnwatch.rules.yaml.MappingNode;
import io.spawnwatch.rules.yaml.Node;
import io.spawnwatch.rules.yaml.NodeTuple;
import io.spawnwatch.rules.yaml.SequenceNode;

/**
 * Reads Sigma rule files (one rule per YAML document) and compiles each rule.
 * A rule with a problem becomes a {@link RuleError} naming file, line and the
 * field or feature; the other rules of the file still load.
 */
public final class SigmaRuleParser {
    /** What one document produced: a rule, or the error that refused it. */
    public sealed interface Result permits Loaded, Refused {}

    public record Loaded(SigmaRule rule) implements Result {}

    public record Refused(RuleError error) implements Result {}

    private static final Set<String> STATUSES = Set.of("stable", "test", "experimental", "deprecated", "unsupported");
    private static final java.util.regex.Pattern UUID =
            java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final DetectionConfig config;
    private final ValueCompiler values;

    public SigmaRuleParser(DetectionConfig config) {
        this.config = config;
        this.values = new ValueCompiler(config.placeholders());
    }

    public List<Result> parse(String source, String text) {
        List<Node> docs;
        try {
            docs = YamlTree.parseAll(text);
        } catch (YamlException e) {
            return List.of(new Refused(new RuleError(source, e.line(), e.getMessage())));
        }
        if (docs.isEmpty()) {
            return List.of(new Refused(new RuleError(source, 0, "no rule in file")));
        }
        return docs.stream().map(doc -> parseOne(source, doc)).toList();
    }

    private Result parseOne(String source, Node doc) {
        try {
            return new Loaded(compile(source, doc));
        } catch (YamlException e) {
            return new Refused(new RuleError(source, e.line(), e.getMessage()));
        }
    }

    private SigmaRule compile(String source, Node doc) {
        MappingNode root = YamlTree.mapping(doc, "a rule");
        Map<String, NodeTuple> top = YamlTree.entries(root, "rule");
        refuse(top, "action", "rule collections (action: global/reset/repeat); write one complete rule per document");
        refuse(top, "correlation", "correlation rules");
        refuse(top, "filter", "Sigma filters; use a spawnwatch exceptions file");
        String title = text(top, "title", root, true);
        String id = text(top, "id", root, true);
        if (!UUID.matcher(id).matches()) {
            throw new YamlException(line(top, "id"), "id must be a UUID (alerts, exceptions and baselines key on it): '"
                    + id + "'");
        }
        EventType type = logsource(top, root);
        String status = text(top, "status", root, false);
        if (status != null && !STATUSES.contains(status)) {
            throw new YamlException(line(top, "status"), "status must be one of " + STATUSES + ", not '" + status + "'");
        }
        RuleLevel level = RuleLevel.MEDIUM;
        String levelText = text(top, "level", root, false);
        if (levelText != null) {
            level = RuleLevel.parse(levelText);
            if (level == null) {
                throw new YamlException(line(top, "level"), "level must be informational, low, medium, high or"
                        + " critical, not '" + levelText + "'");
            }
        }
        List<String> tags = list(top, "tags");
        RuleExtension ext = top.containsKey("spawnwatch")
                ? RuleExtension.parse(top.get("spawnwatch").getValueNode(), type, config)
                : RuleExtension.NONE;
        Matcher detection = detection(top, root, type);
        String version = ext.version() != null ? ext.version()
                : firstNonNull(text(top, "modified", root, false), text(top, "date", root, false), "1");
        RuleMetadata meta = new RuleMetadata(id, title, text(top, "description", root, false), version, status,
                level, type, text(top, "author", root, false), tags, list(top, "references"),
                list(top, "falsepositives"), MitreAttack.fromTags(tags), source);
        return new SigmaRule(meta, detection, ext, YamlTree.line(root));
    }

    private EventType logsource(Map<String, NodeTuple> top, Node root) {
        if (!top.containsKey("logsource")) {
            throw new YamlException(YamlTree.line(root), "rule has no logsource");
        }
        Node node = top.get("logsource").getValueNode();
        Map<String, NodeTuple> ls = YamlTree.entries(YamlTree.mapping(node, "logsource"), "logsource");
        if (ls.containsKey("service")) {
            throw new YamlException(line(ls, "service"), "unsupported logsource service '"
                    + YamlTree.text(ls.get("service").getValueNode(), "logsource.service")
                    + "': events come from the sensor, use category process_creation, network_connection, file_event or privilege_change");
        }
        String product = ls.containsKey("product") ? YamlTree.text(ls.get("product").getValueNode(), "product") : null;
        if (!"linux".equals(product)) {
            throw new YamlException(ls.containsKey("product") ? line(ls, "product") : YamlTree.line(node),
                    "unsupported logsource product '" + product + "': only linux");
        }
        String category = ls.containsKey("category")
                ? YamlTree.text(ls.get("category").getValueNode(), "category") : null;
        for (EventType t : EventType.values()) {
            if (category(t).equals(category)) {
                return t;
            }
        }
        throw new YamlException(ls.containsKey("category") ? line(ls, "category") : YamlTree.line(node),
                "unsupported logsource category '" + category
                        + "': only process_creation, network_connection, file_event and privilege_change");
    }

    /**
     * The Sigma logsource category of an event type: process_creation,
     * network_connection, file_event (Sigma's own names), privilege_change
     * (ours: Sigma has no category for a set*uid() or capset() call).
     */
    public static String category(EventType type) {
        return switch (type) {
            case EXEC -> "process_creation";
            case CONNECT -> "network_connection";
            case FILE -> "file_event";
            case PRIVILEGE -> "privilege_change";
        };
    }

    private Matcher detection(Map<String, NodeTuple> top, Node root, EventType type) {
        if (!top.containsKey("detection")) {
            throw new YamlException(YamlTree.line(root), "rule has no detection");
        }
        Node node = top.get("detection").getValueNode();
        Map<String, NodeTuple> det = YamlTree.entries(YamlTree.mapping(node, "detection"), "detection");
        if (det.containsKey("timeframe")) {
            throw new YamlException(line(det, "timeframe"), "unsupported feature: timeframe (it only serves"
                    + " aggregations); use the spawnwatch: rarity extension");
        }
        if (!det.containsKey("condition")) {
            throw new YamlException(YamlTree.line(node), "detection has no condition");
        }
        SelectionCompiler selections = new SelectionCompiler(values, type);
        Map<String, Matcher> identifiers = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> e : det.entrySet()) {
            if (!e.getKey().equals("condition")) {
                identifiers.put(e.getKey(), selections.compile(e.getValue().getValueNode(), "selection '"
                        + e.getKey() + "'"));
            }
        }
        Node cond = det.get("condition").getValueNode();
        if (cond instanceof SequenceNode seq) {
            // A list of conditions is their OR (Sigma spec).
            List<Matcher> alternatives = seq.getValue().stream()
                    .map(c -> ConditionParser.compile(YamlTree.text(c, "condition"), YamlTree.line(c), identifiers))
                    .toList();
            return io.spawnwatch.rules.match.Logic.or(alternatives);
        }
        return ConditionParser.compile(YamlTree.text(cond, "condition"), YamlTree.line(cond), identifiers);
    }

    private static void refuse(Map<String, NodeTuple> top, String key, String feature) {
        if (top.containsKey(key)) {
            throw new YamlException(line(top, key), "unsupported feature: " + feature);
        }
    }

    private static int line(Map<String, NodeTuple> map, String key) {
        return YamlTree.line(map.get(key).getKeyNode());
    }

    private static String text(Map<String, NodeTuple> top, String key, Node root, boolean required) {
        NodeTuple t = top.get(key);
        if (t == null || YamlTree.isNull(t.getValueNode())) {
            if (required) {
                throw new YamlException(YamlTree.line(root), "rule has no " + key);
            }
            return null;
        }
        return YamlTree.text(t.getValueNode(), key);
    }

    private static List<String> list(Map<String, NodeTuple> top, String key) {
        NodeTuple t = top.get(key);
        if (t == null || YamlTree.isNull(t.getValueNode())) {
            return List.of();
        }
        return YamlTree.texts(t.getValueNode(), key);
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
