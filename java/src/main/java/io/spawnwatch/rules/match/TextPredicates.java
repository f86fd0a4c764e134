package io.spawnwatch.rules.match;

import io.spawnwatch.rules.match.LiteralPredicates.Literal;
import io.spawnwatch.rules.match.LiteralPredicates.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Combines the predicates of one Sigma value list. OR-lists are where rules
 * spend their time (a list of 40 process names, 57 executable suffixes, 100
 * command-line needles), so {@link #anyOf} rewrites them: exact values become
 * one {@link ExactSet} hash lookup, plain "contains" needles one
 * {@link ContainsAnyOf} automaton, prefixes and suffixes one {@link AffixAnyOf}
 * trie, and wildcard patterns sit behind one automaton pass that looks for
 * the literal each of them needs ({@link GuardedAny}): most values contain
 * none, and then no pattern runs.
 */
public final class TextPredicates {
    /** Below this many values a loop of comparisons beats a set or an automaton. */
    static final int MIN_SET = 4;
    /** From this many wildcard patterns on, one automaton pass guards them. */
    static final int MIN_GUARDED = 2;

    private TextPredicates() {}

    public static TextPredicate anyOf(List<TextPredicate> predicates) {
        List<TextPredicate> rest = new ArrayList<>();
        List<TextPredicate> grouped = new ArrayList<>();
        for (boolean cased : new boolean[] {false, true}) {
            List<String> exact = literals(predicates, Shape.EQUALS, cased);
            List<String> contains = literals(predicates, Shape.CONTAINS, cased);
            if (exact.size() >= MIN_SET) {
                rest.add(new ExactSet(exact, cased));
            } else {
                exact.forEach(v -> rest.add(LiteralPredicates.of(Shape.EQUALS, v, cased)));
            }
            ContainsAnyOf automaton = contains.size() >= MIN_SET ? ContainsAnyOf.build(contains, cased) : null;
            if (automaton != null) {
                rest.add(automaton);
            } else {
                contains.forEach(v -> rest.add(LiteralPredicates.of(Shape.CONTAINS, v, cased)));
            }
            for (Shape affix : new Shape[] {Shape.STARTSWITH, Shape.ENDSWITH}) {
                List<String> values = literals(predicates, affix, cased);
                AffixAnyOf trie = values.size() >= MIN_SET
                        ? AffixAnyOf.build(values, affix == Shape.ENDSWITH, cased) : null;
                if (trie != null) {
                    rest.add(trie);
                } else {
                    values.forEach(v -> rest.add(LiteralPredicates.of(affix, v, cased)));
                }
            }
            guardGlobs(predicates, cased, rest, grouped);
        }
        for (TextPredicate p : predicates) {
            if (!(p instanceof Literal) && !grouped.contains(p)) {
                rest.add(p);
            }
        }
        // Cheap anchored tests first: a prefix or suffix usually fails on its first char.
        rest.sort((a, b) -> Integer.compare(cost(a), cost(b)));
        return rest.size() == 1 ? rest.getFirst() : new AnyText(rest.toArray(TextPredicate[]::new));
    }

    /** Puts the wildcard patterns of one casing behind one automaton over the literals they need. */
    private static void guardGlobs(List<TextPredicate> predicates, boolean cased, List<TextPredicate> rest,
            List<TextPredicate> grouped) {
        List<GlobPredicate> globs = new ArrayList<>();
        List<String> needed = new ArrayList<>();
        for (TextPredicate p : predicates) {
            if (p instanceof GlobPredicate g && g.cased() == cased && g.requiredLiteral() != null) {
                globs.add(g);
                needed.add(g.requiredLiteral());
            }
        }
        if (globs.size() < MIN_GUARDED) {
            return;
        }
        ContainsAnyOf guard = ContainsAnyOf.build(needed, cased);
        if (guard == null) {
            return;
        }
        rest.add(new GuardedAny(guard, globs.toArray(TextPredicate[]::new)));
        grouped.addAll(globs);
    }

    public static TextPredicate allOf(List<TextPredicate> predicates) {
        return predicates.size() == 1
                ? predicates.getFirst()
                : new AllText(predicates.toArray(TextPredicate[]::new));
    }

    private static List<String> literals(List<TextPredicate> predicates, Shape shape, boolean cased) {
        List<String> out = new ArrayList<>();
        for (TextPredicate p : predicates) {
            if (p instanceof Literal l && l.shape() == shape && l.cased() == cased) {
                out.add(l.literal());
            }
        }
        return out;
    }

    private static int cost(TextPredicate p) {
        if (p instanceof Literal l) {
            return l.shape() == Shape.CONTAINS ? 2 : 0;
        }
        if (p instanceof ExactSet || p instanceof AffixAnyOf) {
            return 1;
        }
        if (p instanceof RegexPredicate) {
            return 5;
        }
        return 3;
    }

    /** OR over predicates. */
    public record AnyText(TextPredicate[] parts) implements TextPredicate {
        @Override
        public boolean test(CharSequence value) {
            for (TextPredicate p : parts) {
                if (p.test(value)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return "any" + List.of(parts);
        }
    }

    /**
     * OR over wildcard patterns, tried only when {@code guard} finds in the
     * value a literal one of them needs (if none is there, none can match).
     */
    public record GuardedAny(ContainsAnyOf guard, TextPredicate[] parts) implements TextPredicate {
        @Override
        public boolean test(CharSequence value) {
            if (!guard.test(value)) {
                return false;
            }
            for (TextPredicate p : parts) {
                if (p.test(value)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return "guarded" + List.of(parts);
        }
    }

    /** AND over predicates (Sigma's {@code all} modifier). */
    public record AllText(TextPredicate[] parts) implements TextPredicate {
        @Override
        public boolean test(CharSequence value) {
            for (TextPredicate p : parts) {
                if (!p.test(value)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "all" + List.of(parts);
        }
    }
}
