package io.spawnwatch.config;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a configuration file's YAML into a Jackson tree with the project's one
 * YAML library (jackson-dataformat-yaml's streaming parser, which reports each
 * token's location), so that every key keeps its line ({@link #lines}) and the
 * file means what it looks like: a key twice in one map is an error (not "the
 * last wins"), a second document after {@code ---} is an error (not silently
 * ignored), and anchors and aliases are refused (the parser would read an
 * alias as the anchor's name: a database named {@code f} in the working
 * directory).
 *
 * <p>Scalars keep YAML 1.1's implicit types, as Jackson reads them: 8192 is an
 * integer, 8192.5 a float (refused later where an integer is expected),
 * true/yes a boolean, ~ or nothing null; quoted values are strings.
 */
final class ConfigYaml {
    private static final YAMLFactory YAML = new YAMLFactory();
    private final Map<String, Integer> lines = new HashMap<>();

    /**
     * A file that is not the YAML a configuration must be: where (1-based line and column; column 0 when
     * only the line is known) and what is wrong, on one line, without the file's name.
     */
    static final class YamlError extends Exception {
        final int line;
        final int column;

        YamlError(int line, int column, String message) {
            super(message, null, false, false);
            this.line = line;
            this.column = column;
        }
    }

    /** Line (1-based) of each key path, e.g. "kernel.ring_buffer_bytes" or "webservers.names[2]". */
    Map<String, Integer> lines() {
        return lines;
    }

    /**
     * @return the top-level map; empty for an empty file
     * @throws YamlError a syntax error, a second document, a duplicate key, an anchor or alias, or a
     *     top level that is not a map
     */
    ObjectNode parse(String text) throws YamlError {
        JsonNode root = null;
        try (YAMLParser p = (YAMLParser) YAML.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return JsonNodeFactory.instance.objectNode();
            }
            root = read(p, t, "");
            JsonToken next = p.nextToken();
            if (next != null) {
                throw new YamlError(p.currentTokenLocation().getLineNr(), 0, "a second YAML document ('---'); a"
                        + " configuration is one document: merge it into the first or remove it");
            }
        } catch (StreamReadException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new YamlError(0, 0, "YAML: " + firstLine(e.getMessage()));
        }
        if (!(root instanceof ObjectNode o)) {
            throw new YamlError(1, 0, "expected a map of settings at the top level (key: value lines)");
        }
        return o;
    }

    private JsonNode read(YAMLParser p, JsonToken t, String path) throws IOException, YamlError {
        int line = p.currentTokenLocation().getLineNr();
        if (p.isCurrentAlias() || p.getObjectId() != null) {
            throw new YamlError(line, p.currentTokenLocation().getColumnNr(), (path.isEmpty() ? "" : path + ": ")
                    + "YAML anchors and aliases (&name, *name) are not supported in a configuration; write the value"
                    + " itself");
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (t) {
            case START_OBJECT -> {
                ObjectNode out = f.objectNode();
                Map<String, Integer> first = new HashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    String keyPath = path.isEmpty() ? key : path + "." + key;
                    Integer earlier = first.putIfAbsent(key, keyLine);
                    if (earlier != null) {
                        throw new YamlError(keyLine, p.currentTokenLocation().getColumnNr(), "duplicate key " + keyPath
                                + " (first at line " + earlier + "); YAML keeps only one: merge them");
                    }
                    lines.put(keyPath, keyLine);
                    out.set(key, read(p, p.nextToken(), keyPath));
                }
                return out;
            }
            case START_ARRAY -> {
                ArrayNode out = f.arrayNode();
                int i = 0;
                for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken()) {
                    String itemPath = path + "[" + i++ + "]";
                    lines.put(itemPath, p.currentTokenLocation().getLineNr());
                    out.add(read(p, item, itemPath));
                }
                return out;
            }
            case VALUE_NULL -> {
                return f.nullNode();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return f.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NUMBER_INT -> {
                return f.numberNode(p.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                try {
                    return f.numberNode(p.getDecimalValue());
                } catch (NumberFormatException | StreamReadException e) {
                    return f.textNode(p.getText()); // .inf, .nan: a text a number field then refuses
                }
            }
            default -> {
                return f.textNode(p.getText());
            }
        }
    }

    /**
     * Where the parser found the problem and what it is, from SnakeYAML's {@code MarkedYAMLException} (its
     * problem mark and problem text: "mapping values are not allowed here"), not from Jackson's message,
     * which is the parser's multi-line dump with the context where it began.
     */
    private static YamlError syntaxError(StreamReadException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                String problem = m.getProblem() == null ? problem(m.getMessage()) : m.getProblem().strip();
                return new YamlError(m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1,
                        "YAML syntax: " + oneLine(problem) + hint(problem));
            }
        }
        var at = e.getLocation();
        return new YamlError(at == null ? 0 : Math.max(at.getLineNr(), 0), at == null ? 0 : Math.max(at.getColumnNr(), 0),
                "YAML syntax: " + problem(e.getOriginalMessage()));
    }

    /** What the parser's words usually mean in a hand-written configuration. */
    private static String hint(String problem) {
        if (problem.startsWith("expected <block end>")) {
            return " (this line's indentation does not match the lines above it)";
        }
        if (problem.startsWith("mapping values are not allowed here")) {
            return " (a ': ' inside a value: quote the value, or check the indentation)";
        }
        return "";
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\n\\s*", " ");
    }

    /**
     * The problem from a parser message, on one line: the message is context, where it began, the problem
     * and where it is ("while parsing a flow node / in 'reader', line 1... / expected the node content,
     * but found '<stream end>' / in 'reader', line 2..."); the last unindented line is the problem.
     */
    private static String problem(String message) {
        String problem = firstLine(message);
        for (String l : String.valueOf(message).strip().split("\n")) {
            if (!l.isBlank() && !Character.isWhitespace(l.charAt(0))) {
                problem = l.strip();
            }
        }
        return problem;
    }

    private static String firstLine(String text) {
        String s = String.valueOf(text).strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).strip();
    }
}
