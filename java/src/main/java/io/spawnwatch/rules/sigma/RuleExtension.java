package io.spawnwatch.rules.sigma;

import io.spawnwatch.event.EventType;
import io.spawnwatch.event.Field;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.time.Durations;
import io.spawnwatch.rules.yaml.YamlException;
import io.spawnwatch.rules.yaml.YamlTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.spawnwatch.rules.yaml.MappingNode;
import io.spawnwatch.rules.yaml.Node;
import io.spawnwatch.rules.yaml.NodeTuple;

/**
 * Our extension beside the Sigma detection, the rule file's top-level
 * {@code spawnwatch:} key (Sigma tools ignore keys they do not know):
 *
 * <pre>{@code
 * spawnwatch:
 *   version: "2"                  # rule.version; default: modified, date
 *   rarity:                       # alert only while the group is rare
 *     group_by: [Image, CurrentDirectory, ParentImage]
 *     threshold: 5                # alert while seen fewer than 5 times ...
 *     window: 61m                 # ... in the last 61 minutes (event time)
 *   new_terms:                    # alert the first time in the window
 *     fields: [CommandLine, Image]
 *     window: 7d
 *   suppress:                     # repeats of one alert key are counted, not sent
 *     key: [Image, ParentImage, CommandLine]
 *     window: 10m
 * }</pre>
 *
 * Any field may be null (absent block). A rule has at most one of rarity and
 * new_terms: each is a baseline, and two baselines on one rule would make
 * "why did this alert" ambiguous.
 */
public record RuleExtension(String version, Rarity rarity, NewTerms newTerms, Suppress suppress) {
    public static final RuleExtension NONE = new RuleExtension(null, null, null, null);

    /** Group-by fields, threshold and window of a rarity rule. */
    public record Rarity(List<Field> groupBy, List<String> names, int threshold, Duration window) {}

    /** The fields whose combined value must be new, and for how long "new" lasts. */
    public record NewTerms(List<Field> fields, List<String> names, Duration window) {}

    /** A rule's own suppression key and window; null parts fall back to the configuration. */
    public record Suppress(List<Field> key, List<String> names, Duration window) {}

    static RuleExtension parse(Node node, EventType type, DetectionConfig config) {
        MappingNode map = YamlTree.mapping(node, "spawnwatch");
        String version = null;
        Rarity rarity = null;
        NewTerms newTerms = null;
        Suppress suppress = null;
        for (Map.Entry<String, NodeTuple> e : YamlTree.entries(map, "spawnwatch").entrySet()) {
            Node v = e.getValue().getValueNode();
            switch (e.getKey()) {
                case "version" -> version = YamlTree.text(v, "spawnwatch.version");
                case "rarity" -> rarity = rarity(v, type, config);
                case "new_terms" -> newTerms = newTerms(v, type, config);
                case "suppress" -> suppress = suppress(v, type);
                default -> throw new YamlException(YamlTree.line(e.getValue().getKeyNode()),
                        "unknown key spawnwatch." + e.getKey() + " (known: version, rarity, new_terms, suppress)");
            }
        }
        if (rarity != null && newTerms != null) {
            throw new YamlException(YamlTree.line(node), "spawnwatch: a rule has either rarity or new_terms, not both");
        }
        return new RuleExtension(version, rarity, newTerms, suppress);
    }

    private static Rarity rarity(Node node, EventType type, DetectionConfig config) {
        Map<String, NodeTuple> m = known(node, "spawnwatch.rarity", "group_by", "threshold", "window");
        List<String> names = required(m, node, "spawnwatch.rarity", "group_by");
        long threshold = m.containsKey("threshold")
                ? YamlTree.integer(m.get("threshold").getValueNode(), "spawnwatch.rarity.threshold")
                : config.rarity().threshold();
        if (threshold < 1 || threshold > 1000) {
            throw new YamlException(YamlTree.line(m.get("threshold").getValueNode()),
                    "spawnwatch.rarity.threshold must be 1..1000, not " + threshold);
        }
        Duration window = m.containsKey("window")
                ? duration(m.get("window").getValueNode(), "spawnwatch.rarity.window")
                : config.rarity().window();
        return new Rarity(fields(names, m.get("group_by").getValueNode(), type), names, (int) threshold, window);
    }

    private static NewTerms newTerms(Node node, EventType type, DetectionConfig config) {
        Map<String, NodeTuple> m = known(node, "spawnwatch.new_terms", "fields", "window");
        List<String> names = required(m, node, "spawnwatch.new_terms", "fields");
        Duration window = m.containsKey("window")
                ? duration(m.get("window").getValueNode(), "spawnwatch.new_terms.window")
                : config.newTerms().window();
        return new NewTerms(fields(names, m.get("fields").getValueNode(), type), names, window);
    }

    private static Suppress suppress(Node node, EventType type) {
        Map<String, NodeTuple> m = known(node, "spawnwatch.suppress", "key", "window");
        List<String> names = m.containsKey("key") ? YamlTree.texts(m.get("key").getValueNode(), "spawnwatch.suppress.key")
                : null;
        List<Field> key = names == null ? null : fields(names, m.get("key").getValueNode(), type);
        Duration window = m.containsKey("window")
                ? duration(m.get("window").getValueNode(), "spawnwatch.suppress.window") : null;
        return new Suppress(key, names, window);
    }

    private static Map<String, NodeTuple> known(Node node, String what, String... keys) {
        Map<String, NodeTuple> m = YamlTree.entries(YamlTree.mapping(node, what), what);
        for (Map.Entry<String, NodeTuple> e : m.entrySet()) {
            if (!List.of(keys).contains(e.getKey())) {
                throw new YamlException(YamlTree.line(e.getValue().getKeyNode()), "unknown key " + what + "."
                        + e.getKey() + " (known: " + String.join(", ", keys) + ")");
            }
        }
        return m;
    }

    private static List<String> required(Map<String, NodeTuple> m, Node node, String what, String key) {
        if (!m.containsKey(key)) {
            throw new YamlException(YamlTree.line(node), what + " needs '" + key + "'");
        }
        List<String> names = YamlTree.texts(m.get(key).getValueNode(), what + "." + key);
        if (names.isEmpty()) {
            throw new YamlException(YamlTree.line(node), what + "." + key + " is empty");
        }
        return names;
    }

    private static List<Field> fields(List<String> names, Node at, EventType type) {
        List<Field> out = new ArrayList<>();
        for (String n : names) {
            out.add(FieldCatalog.resolve(n, YamlTree.line(at), type));
        }
        return List.copyOf(out);
    }

    private static Duration duration(Node node, String what) {
        try {
            Duration d = Durations.parse(YamlTree.text(node, what));
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("must be positive");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new YamlException(YamlTree.line(node), what + ": " + e.getMessage());
        }
    }
}
