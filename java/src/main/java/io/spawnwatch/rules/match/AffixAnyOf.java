package io.spawnwatch.rules.match;

import static io.spawnwatch.rules.match.CaseFolding.maybeFold;

import java.util.List;
import java.util.TreeSet;

/**
 * "Value starts with any of these" or "ends with any of these" as one trie,
 * walked from the value's first char forwards (prefixes) or from its last
 * char backwards (suffixes): at most as many steps as the longest literal,
 * whatever the number of literals, where a loop of {@link LiteralPredicates}
 * compares each (the suspicious-child rule ends Image with any of 57 tool
 * names). Compiled to a dense table over the literals' chars plus one "other"
 * class, as {@link ContainsAnyOf}; allocation-free.
 */
public final class AffixAnyOf implements TextPredicate {
    /** Table size above which {@link #build} refuses (the caller keeps the loop). */
    static final int MAX_CELLS = 1 << 20;
    private static final int DEAD = 0;
    private static final int ROOT = 1;

    private final boolean suffix;
    private final boolean cased;
    private final int literals;
    private final CharClasses classes;
    private final int width;
    private final int[] next;
    private final boolean[] terminal;

    private AffixAnyOf(List<String> folded, boolean suffix, boolean cased, TreeSet<Character> alphabet, int states) {
        this.suffix = suffix;
        this.cased = cased;
        this.literals = folded.size();
        this.classes = new CharClasses(alphabet);
        this.width = classes.count();
        this.next = new int[states * width];
        this.terminal = new boolean[states];
        int used = ROOT + 1;
        for (String lit : folded) {
            int s = ROOT;
            for (int k = 0; k < lit.length(); k++) {
                char ch = lit.charAt(suffix ? lit.length() - 1 - k : k);
                int cell = s * width + classes.of(ch);
                if (next[cell] == DEAD) {
                    next[cell] = used++;
                }
                s = next[cell];
            }
            terminal[s] = true;
        }
    }

    /**
     * Builds the trie over literals already folded when {@code cased} is false
     * (as {@link LiteralPredicates.Literal#literal()} gives them), or returns
     * null when one is empty (it matches every value) or the table would be
     * too large.
     */
    public static AffixAnyOf build(List<String> literals, boolean suffix, boolean cased) {
        TreeSet<Character> alphabet = new TreeSet<>();
        int states = ROOT + 1;
        for (String lit : literals) {
            if (lit.isEmpty()) {
                return null;
            }
            states += lit.length();
            for (int i = 0; i < lit.length(); i++) {
                alphabet.add(lit.charAt(i));
            }
        }
        if ((long) states * (alphabet.size() + 1) > MAX_CELLS) {
            return null;
        }
        return new AffixAnyOf(literals, suffix, cased, alphabet, states);
    }


    @Override
    public boolean test(CharSequence value) {
        final int[] table = next;
        final boolean[] accept = terminal;
        final int w = width;
        final boolean c = cased;
        final int n = value.length();
        int s = ROOT;
        for (int k = 0; k < n; k++) {
            s = table[s * w + classes.of(maybeFold(value.charAt(suffix ? n - 1 - k : k), c))];
            if (s == DEAD) {
                return false;
            }
            if (accept[s]) {
                return true;
            }
        }
        return false;
    }

    public boolean suffix() {
        return suffix;
    }

    @Override
    public String toString() {
        return (suffix ? "endswithany" : "startswithany") + (cased ? "|cased" : "") + "(" + literals
                + " literals)";
    }
}
