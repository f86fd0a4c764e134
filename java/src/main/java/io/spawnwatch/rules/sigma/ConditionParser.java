package io.spawnwatch.rules.sigma;

import io.spawnwatch.rules.match.Logic;
import io.spawnwatch.rules.match.Matcher;
import io.spawnwatch.rules.yaml.YamlException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Sigma's condition language, compiled straight to matchers: identifiers,
 * {@code and}/{@code or}/{@code not}, parentheses, and {@code 1 of}/
 * {@code any of}/{@code all of} over an identifier pattern or {@code them}.
 * Precedence, least binding first: or, and, not, "x of", parentheses.
 * Aggregations ({@code | count() ...}) and {@code near} are refused: the
 * spawnwatch rarity extension is how to count here.
 */
public final class ConditionParser {
    /**
     * Deepest nesting of parentheses and {@code not}s accepted: far beyond any
     * real rule, far below what would overflow the parser's stack (a condition
     * in 3,000 parentheses did).
     */
    public static final int MAX_DEPTH = 64;
    private final String text;
    private final int line;
    private final Map<String, Matcher> identifiers;
    private final List<String> tokens = new ArrayList<>();
    private final List<Integer> columns = new ArrayList<>();
    private int pos;
    private int depth;

    private ConditionParser(String text, int line, Map<String, Matcher> identifiers) {
        this.text = text;
        this.line = line;
        this.identifiers = identifiers;
    }

    /**
     * @param identifiers the compiled search identifiers, in rule order
     * @throws YamlException naming the condition's line and the offending token
     */
    public static Matcher compile(String condition, int line, Map<String, Matcher> identifiers) {
        ConditionParser p = new ConditionParser(condition, line, identifiers);
        p.tokenize();
        if (p.tokens.isEmpty()) {
            throw new YamlException(line, "condition is empty");
        }
        Matcher m = p.or();
        if (p.pos < p.tokens.size()) {
            throw p.error("unexpected '" + p.tokens.get(p.pos) + "'");
        }
        return m;
    }

    private void tokenize() {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                add(String.valueOf(c), i++);
            } else if (c == '|') {
                throw new YamlException(line, "unsupported condition feature: aggregation ('| ...') at column "
                        + (i + 1) + "; use the spawnwatch: rarity or new_terms extension to count");
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))
                        && "()|".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                add(text.substring(start, i), start);
            }
        }
    }

    private void add(String token, int column) {
        tokens.add(token);
        columns.add(column + 1);
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean accept(String keyword) {
        String t = peek();
        if (t != null && t.equalsIgnoreCase(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    private Matcher or() {
        List<Matcher> parts = new ArrayList<>(List.of(and()));
        while (accept("or")) {
            parts.add(and());
        }
        return Logic.or(parts);
    }

    private Matcher and() {
        List<Matcher> parts = new ArrayList<>(List.of(not()));
        while (accept("and")) {
            parts.add(not());
        }
        return Logic.and(parts);
    }

    private Matcher not() {
        if (accept("not")) {
            enter();
            Matcher inner = not();
            depth--;
            return Logic.not(inner);
        }
        return primary();
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels (parentheses and 'not'); simplify the"
                    + " condition");
        }
    }

    private Matcher primary() {
        String t = peek();
        if (t == null) {
            throw error("condition ends too early");
        }
        if (t.equals("(")) {
            pos++;
            enter();
            Matcher inner = or();
            if (!accept(")")) {
                throw error("missing ')'");
            }
            depth--;
            return inner;
        }
        String lower = t.toLowerCase();
        if (lower.equals("near")) {
            throw error("unsupported condition feature: near");
        }
        if (lower.equals("and") || lower.equals("or") || t.equals(")")) {
            throw error("unexpected '" + t + "'");
        }
        if (pos + 1 < tokens.size() && tokens.get(pos + 1).equalsIgnoreCase("of")) {
            return quantifier(lower);
        }
        Matcher m = identifiers.get(t);
        if (m == null) {
            throw error("condition refers to '" + t + "', which is not a search identifier of this rule");
        }
        pos++;
        return m;
    }

    private Matcher quantifier(String count) {
        boolean all;
        if (count.equals("all")) {
            all = true;
        } else if (count.equals("1") || count.equals("any")) {
            all = false;
        } else {
            throw error("unsupported condition feature: '" + count + " of' (only 1 of, any of, all of)");
        }
        pos += 2;
        String target = peek();
        if (target == null || target.equals("(") || target.equals(")")) {
            throw error("'" + count + " of' needs an identifier pattern or 'them'");
        }
        pos++;
        List<Matcher> selected = new ArrayList<>();
        if (target.equalsIgnoreCase("them")) {
            identifiers.forEach((name, m) -> {
                if (!name.startsWith("_")) {
                    selected.add(m);
                }
            });
        } else {
            Pattern p = Pattern.compile(globToRegex(target));
            identifiers.forEach((name, m) -> {
                if (p.matcher(name).matches()) {
                    selected.add(m);
                }
            });
        }
        if (selected.isEmpty()) {
            pos--;
            throw error("'" + target + "' matches no search identifier");
        }
        return all ? Logic.and(selected) : Logic.or(selected);
    }

    private static String globToRegex(String glob) {
        StringBuilder b = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                b.append(".*");
            } else if (c == '?') {
                b.append('.');
            } else {
                b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return b.toString();
    }

    private YamlException error(String what) {
        int column = pos < columns.size() ? columns.get(pos) : text.length() + 1;
        String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        return new YamlException(line, "condition '" + shown + "': " + what + " (column " + column + ")");
    }
}
