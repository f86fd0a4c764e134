package io.spawnwatch.rules.match;

import static io.spawnwatch.rules.match.CaseFolding.maybeFold;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * "Value contains any of these" as one Aho-Corasick automaton: a single pass
 * over the command line whatever the number of needles (the suspicious-command
 * rule has over a hundred). Compiled to a dense DFA over the alphabet of the
 * needles' chars plus one "other" class, so a step is two array reads.
 */
public final class ContainsAnyOf implements TextPredicate {
    /** DFA size above which {@link #build} refuses (the caller falls back to a loop). */
    static final int MAX_CELLS = 4 << 20;

    private final int alphabetSize;
    private final CharClasses classes;
    private final int[] next;
    private final boolean[] accepting;
    private final boolean cased;
    private final int needles;

    private ContainsAnyOf(List<String> needles, boolean cased, TreeSet<Character> alphabet, Trie trie) {
        this.cased = cased;
        this.needles = needles.size();
        this.classes = new CharClasses(alphabet);
        this.alphabetSize = classes.count();
        int states = trie.children.size();
        this.next = new int[states * alphabetSize];
        this.accepting = new boolean[states];
        int[] fail = new int[states];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < alphabetSize; c++) {
            next[c] = 0;
        }
        for (Map.Entry<Character, Integer> e : trie.children.get(0).entrySet()) {
            int s = e.getValue();
            next[classes.of(e.getKey())] = s;
            fail[s] = 0;
            queue.add(s);
        }
        for (int s = 0; s < states; s++) {
            accepting[s] = trie.terminal.get(s);
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            accepting[s] |= accepting[fail[s]];
            for (int c = 0; c < alphabetSize; c++) {
                next[s * alphabetSize + c] = next[fail[s] * alphabetSize + c];
            }
            for (Map.Entry<Character, Integer> e : trie.children.get(s).entrySet()) {
                int c = classes.of(e.getKey());
                int t = e.getValue();
                fail[t] = next[fail[s] * alphabetSize + c];
                next[s * alphabetSize + c] = t;
                queue.add(t);
            }
        }
    }

    /**
     * Builds the automaton, or returns null when it would be too large (the
     * caller then tests the needles one by one).
     */
    public static ContainsAnyOf build(List<String> needles, boolean cased) {
        TreeSet<Character> alphabet = new TreeSet<>();
        Trie trie = new Trie();
        for (String raw : needles) {
            String needle = cased ? raw : CaseFolding.fold(raw);
            if (needle.isEmpty()) {
                return null; // "contains ''" matches everything; not worth an automaton
            }
            int s = 0;
            for (int i = 0; i < needle.length(); i++) {
                char ch = needle.charAt(i);
                alphabet.add(ch);
                s = trie.child(s, ch);
            }
            trie.terminal.set(s, true);
        }
        long cells = (long) trie.children.size() * (alphabet.size() + 1);
        if (cells > MAX_CELLS) {
            return null;
        }
        return new ContainsAnyOf(needles, cased, alphabet, trie);
    }


    @Override
    public boolean test(CharSequence value) {
        final int[] dfa = next;
        final int width = alphabetSize;
        final boolean c = cased;
        int s = 0;
        for (int i = 0, n = value.length(); i < n; i++) {
            s = dfa[s * width + classes.of(maybeFold(value.charAt(i), c))];
            if (accepting[s]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "containsany" + (cased ? "|cased" : "") + "(" + needles + " needles)";
    }

    /** Build-time trie; discarded once the DFA exists. */
    private static final class Trie {
        final List<Map<Character, Integer>> children = new ArrayList<>(List.of(new HashMap<>()));
        final List<Boolean> terminal = new ArrayList<>(List.of(false));

        int child(int s, char ch) {
            Integer t = children.get(s).get(ch);
            if (t == null) {
                t = children.size();
                children.add(new HashMap<>());
                terminal.add(false);
                children.get(s).put(ch, t);
            }
            return t;
        }
    }
}
