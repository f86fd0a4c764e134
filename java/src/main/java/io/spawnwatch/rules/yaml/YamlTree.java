package io.spawnwatch.rules.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML as SnakeYAML's node tree (not as Java objects) so every value
 * keeps the line it came from, and offers typed accessors whose errors name
 * that line. Scalars are read as their source text: YAML 1.1 would turn
 * {@code on}/{@code no} into booleans, Sigma means the strings.
 */
public final class YamlTree {
    private YamlTree() {}

    /** Parses every document of a stream ({@code ---} separated). */
    public static List<Node> parseAll(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20); // no "billion laughs" from a rule file
        options.setCodePointLimit(4 * 1024 * 1024);
        options.setAllowRecursiveKeys(false);
        Yaml yaml = new Yaml(options);
        List<Node> docs = new ArrayList<>();
        try {
            for (Node n : yaml.composeAll(new java.io.StringReader(text))) {
                if (n != null) {
                    docs.add(n);
                }
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new YamlException(mark == null ? 0 : mark.getLine() + 1, "YAML syntax: " + oneLine(problem));
        } catch (YAMLException e) {
            throw new YamlException(0, "YAML: " + oneLine(e.getMessage()));
        }
        return docs;
    }

    /** SnakeYAML's problem text on one line (some of its messages span several). */
    public static String oneLine(String text) {
        return String.valueOf(text).replaceAll("\\s+", " ").strip();
    }

    /** 1-based line of a node. */
    public static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    public static boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    public static boolean isScalar(Node node) {
        return node instanceof ScalarNode;
    }

    public static MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode m) {
            return m;
        }
        throw new YamlException(line(node), what + " must be a mapping (key: value), not " + kind(node));
    }

    public static SequenceNode sequence(Node node, String what) {
        if (node instanceof SequenceNode s) {
            return s;
        }
        throw new YamlException(line(node), what + " must be a list, not " + kind(node));
    }

    /** The scalar's source text; refuses lists, maps and null. */
    public static String text(Node node, String what) {
        if (node instanceof ScalarNode s && !Tag.NULL.equals(s.getTag())) {
            return s.getValue();
        }
        throw new YamlException(line(node), what + " must be a single value, not " + kind(node));
    }

    public static long integer(Node node, String what) {
        String t = text(node, what);
        try {
            return Long.parseLong(t.trim());
        } catch (NumberFormatException e) {
            throw new YamlException(line(node), what + " must be an integer, not '" + t + "'");
        }
    }

    public static boolean bool(Node node, String what) {
        String t = text(node, what).trim().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new YamlException(line(node), what + " must be true or false, not '" + t + "'");
        };
    }

    /** A single value or a list of values, as text. */
    public static List<String> texts(Node node, String what) {
        if (node instanceof SequenceNode s) {
            List<String> out = new ArrayList<>();
            for (Node item : s.getValue()) {
                out.add(text(item, what + " item"));
            }
            return out;
        }
        return List.of(text(node, what));
    }

    /**
     * The entries of a mapping in order, keyed by the key's text. Duplicate and
     * non-scalar keys are errors: YAML would silently keep the last duplicate,
     * which in a rule means a selection quietly disappears.
     */
    public static Map<String, NodeTuple> entries(MappingNode map, String what) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new YamlException(line(t.getKeyNode()), what + ": keys must be plain names");
            }
            if (out.putIfAbsent(k.getValue(), t) != null) {
                throw new YamlException(line(k), what + ": duplicate key '" + k.getValue() + "'");
            }
        }
        return out;
    }

    public static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return isNull(node) ? "null" : "a value";
    }
}
