package io.spawnwatch.rules.yaml;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML into a small node tree (not into Java objects) so every value keeps the line it came from, and
 * offers typed accessors whose errors name that line. Built on the project's one YAML library,
 * jackson-dataformat-yaml (its streaming parser, which reports each token's location). Scalars are kept as
 * their source text: YAML 1.1 would turn {@code on}/{@code no} into booleans, Sigma means the strings.
 * Anchors and aliases are refused: rules and exceptions have no use for them, and they are how a small file
 * expands into a huge tree.
 */
public final class YamlTree {
    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlTree() {}

    /** Parses every document of a stream ({@code ---} separated). */
    public static List<Node> parseAll(String text) {
        List<Node> docs = new ArrayList<>();
        try (YAMLParser p = (YAMLParser) YAML.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                docs.add(read(p, t));
            }
        } catch (StreamReadException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new YamlException(0, "YAML: " + e.getMessage());
        }
        return docs;
    }

    private static final java.util.regex.Pattern MARK = java.util.regex.Pattern.compile("^ in '[^']*', line (\\d+)");

    /**
     * One line from a parser error: its message is the context, where it began, the problem, and where the
     * problem is ("while parsing a flow node / in 'reader', line 1, column 8: / ... / expected the node
     * content, but found '<stream end>' / in 'reader', line 2, column 1: ..."). Keep the problem and its line.
     */
    private static YamlException syntaxError(StreamReadException e) {
        int line = e.getLocation() == null ? 0 : Math.max(e.getLocation().getLineNr(), 0);
        String problem = e.getOriginalMessage().strip();
        String[] lines = problem.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isEmpty() && !Character.isWhitespace(lines[i].charAt(0))) {
                problem = lines[i];
                java.util.regex.Matcher m = i + 1 < lines.length ? MARK.matcher(lines[i + 1]) : null;
                if (m != null && m.find()) {
                    line = Integer.parseInt(m.group(1));
                }
            }
        }
        return new YamlException(line, "YAML syntax: " + problem);
    }

    private static Node read(YAMLParser p, JsonToken t) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        if (p.isCurrentAlias() || p.getObjectId() != null) {
            throw new YamlException(line, "YAML anchors and aliases (&name, *name) are not supported");
        }
        switch (t) {
            case START_OBJECT -> {
                List<NodeTuple> entries = new ArrayList<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    ScalarNode key = new ScalarNode(p.currentTokenLocation().getLineNr(), p.currentName(), false);
                    entries.add(new NodeTuple(key, read(p, p.nextToken())));
                }
                return new MappingNode(line, entries);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
                    items.add(read(p, i));
                }
                return new SequenceNode(line, items);
            }
            case VALUE_NULL -> {
                return new ScalarNode(line, p.getText(), true);
            }
            default -> {
                return new ScalarNode(line, p.getText(), false);
            }
        }
    }

    /** 1-based line of a node. */
    public static int line(Node node) {
        return node.line();
    }

    public static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.isNull();
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
        if (node instanceof ScalarNode s && !s.isNull()) {
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
