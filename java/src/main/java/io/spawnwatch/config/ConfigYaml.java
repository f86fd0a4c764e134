package io.spawnwatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.spawnwatch.error.ConfigException;
import io.spawnwatch.rules.yaml.YamlTree;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
 * Reads a configuration file's YAML into a Jackson tree, with SnakeYAML's node
 * API so that every key keeps its line ({@link #lines}) and YAML means what
 * YAML says: an alias is the anchored value (Jackson's tree reader gave the
 * anchor's name), a key twice in one map is an error (not "the last wins"),
 * and a second document after {@code ---} is an error (not silently ignored).
 *
 * <p>Scalars get YAML 1.1's implicit types, as before: 8192 is an integer,
 * 8192.5 a float (refused later where an integer is expected), true/yes a
 * boolean, ~ or nothing null; quoted values are strings.
 */
final class ConfigYaml {
    private final Map<String, Integer> lines = new HashMap<>();

    /** Line (1-based) of each key path, e.g. "kernel.ring_buffer_bytes" or "webservers.names[2]". */
    Map<String, Integer> lines() {
        return lines;
    }

    /**
     * @return the top-level map; empty for an empty file
     * @throws ConfigException with the line, without the "config FILE: " prefix
     */
    ObjectNode parse(String text) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20); // no "billion laughs"
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(20);
        List<Node> docs = new java.util.ArrayList<>();
        try {
            for (Node n : new Yaml(options).composeAll(new java.io.StringReader(text))) {
                if (n != null) {
                    docs.add(n);
                }
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new ConfigException("line " + (mark == null ? 0 : mark.getLine() + 1) + ": YAML syntax: "
                    + YamlTree.oneLine(problem));
        } catch (YAMLException e) {
            throw new ConfigException("YAML: " + YamlTree.oneLine(e.getMessage()));
        }
        if (docs.isEmpty()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (docs.size() > 1) {
            throw new ConfigException("line " + line(docs.get(1)) + ": a second YAML document ('---'); a"
                    + " configuration is one document: merge it into the first or remove it");
        }
        Node root = docs.getFirst();
        if (!(root instanceof MappingNode)) {
            throw new ConfigException("expected a map of settings at the top level");
        }
        return (ObjectNode) convert(root, "");
    }

    private JsonNode convert(Node node, String path) throws ConfigException {
        if (node instanceof MappingNode m) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Map<String, Integer> first = new HashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k) || Tag.MERGE.equals(k.getTag())) {
                    throw new ConfigException("line " + line(t.getKeyNode()) + ": " + where(path)
                            + "keys must be plain names (no '<<' merge keys, lists or maps as keys)");
                }
                String key = k.getValue();
                String keyPath = path.isEmpty() ? key : path + "." + key;
                Integer earlier = first.putIfAbsent(key, line(k));
                if (earlier != null) {
                    throw new ConfigException("line " + line(k) + ": duplicate key " + keyPath + " (first at line "
                            + earlier + "); YAML keeps only one: merge them");
                }
                lines.put(keyPath, line(k));
                out.set(key, convert(t.getValueNode(), keyPath));
            }
            return out;
        }
        if (node instanceof SequenceNode s) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < s.getValue().size(); i++) {
                Node item = s.getValue().get(i);
                String itemPath = path + "[" + i + "]";
                lines.put(itemPath, line(item));
                out.add(convert(item, itemPath));
            }
            return out;
        }
        return scalar((ScalarNode) node);
    }

    private static JsonNode scalar(ScalarNode s) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String v = s.getValue();
        Tag tag = s.getTag();
        if (Tag.NULL.equals(tag)) {
            return f.nullNode();
        }
        if (Tag.BOOL.equals(tag)) {
            return f.booleanNode(List.of("true", "yes", "on", "y").contains(v.toLowerCase(Locale.ROOT)));
        }
        if (Tag.INT.equals(tag)) {
            BigInteger n = integer(v);
            if (n != null) {
                return n.bitLength() < 64 ? f.numberNode(n.longValue()) : f.numberNode(n);
            }
        }
        if (Tag.FLOAT.equals(tag)) {
            try {
                return f.numberNode(new BigDecimal(v.replace("_", "")));
            } catch (NumberFormatException e) {
                return f.textNode(v); // .inf, .nan: a text a number field then refuses
            }
        }
        return f.textNode(v);
    }

    /** YAML 1.1 integers: decimal, 0x hex, 0b binary, 0 octal, underscores; null when it is none of them. */
    private static BigInteger integer(String text) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        if (t.startsWith("-") || t.startsWith("+")) {
            t = t.substring(1);
        }
        try {
            BigInteger n;
            if (t.startsWith("0x")) {
                n = new BigInteger(t.substring(2), 16);
            } else if (t.startsWith("0b")) {
                n = new BigInteger(t.substring(2), 2);
            } else if (t.length() > 1 && t.startsWith("0")) {
                n = new BigInteger(t.substring(1), 8);
            } else {
                n = new BigInteger(t);
            }
            return negative ? n.negate() : n;
        } catch (NumberFormatException e) {
            return null; // e.g. sexagesimal 1:30
        }
    }

    private static String where(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }

    private static int line(Node n) {
        return n.getStartMark().getLine() + 1;
    }
}
