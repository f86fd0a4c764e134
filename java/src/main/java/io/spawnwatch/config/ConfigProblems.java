package io.spawnwatch.config;

import io.spawnwatch.error.ConfigException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every problem of one configuration file, each as one line in the form compilers and editors know,
 * {@code FILE:LINE: KEY: what was expected} ({@code FILE: KEY: ...} for a key the file does not set),
 * sorted by line. Bounded: the first {@value #MAX_SHOWN} are kept, the rest counted in a last line.
 */
final class ConfigProblems {
    /** Problems shown in full; a file with more is broken beyond what a longer list would help with. */
    static final int MAX_SHOWN = 50;
    /** "webservers.names[2]: ..." or "outputs[0].sasl.username: ...": the key a problem begins with. */
    private static final Pattern KEY = Pattern.compile("^([a-z_][a-z0-9_]*(?:\\[\\d+\\]|\\.[a-z_][a-z0-9_]*)*): ");

    private record Problem(int line, String text) {}

    private final String source;
    private final Map<String, Integer> lines;
    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> boundKeys = new HashSet<>();
    private int total;

    /**
     * @param source the file's path as the user gave it, or "embedded defaults"
     * @param lines  the 1-based line of each key path the file sets (ConfigYaml#lines)
     */
    ConfigProblems(String source, Map<String, Integer> lines) {
        this.source = source;
        this.lines = lines;
    }

    /** A problem at a known place in the file (a syntax error: column 0 when unknown). */
    void at(int line, int column, String message) {
        add(line, source + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + message);
    }

    /** A problem with the value of {@code key} that stopped its binding ("expected a whole number"). */
    void bind(String key, String message) {
        boundKeys.add(key);
        key(key, message);
    }

    /** A problem with the value of {@code key}; the line is the key's own, or its nearest parent's. */
    void key(String key, String message) {
        int line = lineOf(key);
        add(line, source + (line > 0 ? ":" + line : "") + ": " + key + ": " + message);
    }

    /**
     * A validation problem, "KEY: message". Skipped when its key is one whose value could not be bound
     * (the default stands in for it there, and a second message about it would only confuse).
     */
    void validation(String problem) {
        Matcher m = KEY.matcher(problem);
        if (!m.find()) {
            add(0, source + ": " + problem);
            return;
        }
        String key = m.group(1);
        for (String bound : boundKeys) {
            if (key.equals(bound) || key.startsWith(bound + ".") || key.startsWith(bound + "[")
                    || bound.startsWith(key + ".") || bound.startsWith(key + "[")) {
                return;
            }
        }
        key(key, problem.substring(m.end()));
    }

    boolean isEmpty() {
        return total == 0;
    }

    /** @throws ConfigException with every problem (the first {@value #MAX_SHOWN}, then how many more) */
    void throwIfAny() throws ConfigException {
        if (total == 0) {
            return;
        }
        List<String> shown = new ArrayList<>(problems.stream()
                .sorted(Comparator.comparingInt(p -> p.line() <= 0 ? Integer.MAX_VALUE : p.line()))
                .map(Problem::text).toList());
        if (total > shown.size()) {
            shown.add(source + ": " + (total - shown.size()) + " more problems not shown (" + total + " in all)");
        }
        throw new ConfigException(shown);
    }

    private void add(int line, String text) {
        total++;
        if (problems.size() < MAX_SHOWN) {
            problems.add(new Problem(line, text));
        }
    }

    /** The line of {@code key} or of its nearest parent the file sets; 0 when the file sets none. */
    private int lineOf(String key) {
        for (String k = key; !k.isEmpty(); k = parent(k)) {
            Integer line = lines.get(k);
            if (line != null) {
                return line;
            }
        }
        return 0;
    }

    private static String parent(String key) {
        int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
        return cut < 0 ? "" : key.substring(0, cut);
    }
}
