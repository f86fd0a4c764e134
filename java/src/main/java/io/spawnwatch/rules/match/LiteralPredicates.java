package io.spawnwatch.rules.match;

import static io.spawnwatch.rules.match.CaseFolding.maybeFold;

/**
 * The four shapes nearly every Sigma value compiles to: equals, startswith,
 * endswith, contains. Each compares char by char with optional ASCII-first
 * case folding; the literal is folded once when the rule is compiled.
 */
public final class LiteralPredicates {
    private LiteralPredicates() {}

    /** Which literal test; also how the compiler names it in toString. */
    public enum Shape {
        EQUALS,
        STARTSWITH,
        ENDSWITH,
        CONTAINS
    }

    public static TextPredicate of(Shape shape, String literal, boolean cased) {
        String lit = cased ? literal : CaseFolding.fold(literal);
        return switch (shape) {
            case EQUALS -> new EqualsText(lit, cased);
            case STARTSWITH -> new StartsWith(lit, cased);
            case ENDSWITH -> new EndsWith(lit, cased);
            case CONTAINS -> new ContainsText(lit, cased);
        };
    }

    /** Common state: the (already folded) literal and whether case matters. */
    public abstract static sealed class Literal implements TextPredicate
            permits EqualsText, StartsWith, EndsWith, ContainsText {
        final char[] lit;
        final boolean cased;

        Literal(String literal, boolean cased) {
            this.lit = literal.toCharArray();
            this.cased = cased;
        }

        public String literal() {
            return new String(lit);
        }

        public boolean cased() {
            return cased;
        }

        public abstract Shape shape();

        /** Whether {@code value[from..from+lit.length)} equals the literal. */
        final boolean regionMatches(CharSequence value, int from) {
            final char[] l = lit;
            final boolean c = cased;
            for (int i = 0; i < l.length; i++) {
                if (maybeFold(value.charAt(from + i), c) != l[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return shape().name().toLowerCase() + (cased ? "|cased" : "") + "('" + literal() + "')";
        }
    }

    public static final class EqualsText extends Literal {
        EqualsText(String literal, boolean cased) {
            super(literal, cased);
        }

        @Override
        public Shape shape() {
            return Shape.EQUALS;
        }

        @Override
        public boolean test(CharSequence value) {
            return value.length() == lit.length && regionMatches(value, 0);
        }
    }

    public static final class StartsWith extends Literal {
        StartsWith(String literal, boolean cased) {
            super(literal, cased);
        }

        @Override
        public Shape shape() {
            return Shape.STARTSWITH;
        }

        @Override
        public boolean test(CharSequence value) {
            return value.length() >= lit.length && regionMatches(value, 0);
        }
    }

    public static final class EndsWith extends Literal {
        EndsWith(String literal, boolean cased) {
            super(literal, cased);
        }

        @Override
        public Shape shape() {
            return Shape.ENDSWITH;
        }

        @Override
        public boolean test(CharSequence value) {
            int from = value.length() - lit.length;
            return from >= 0 && regionMatches(value, from);
        }
    }

    public static final class ContainsText extends Literal {
        ContainsText(String literal, boolean cased) {
            super(literal, cased);
        }

        @Override
        public Shape shape() {
            return Shape.CONTAINS;
        }

        @Override
        public boolean test(CharSequence value) {
            final char[] l = lit;
            if (l.length == 0) {
                return true;
            }
            final char first = l[0];
            final boolean c = cased;
            final int last = value.length() - l.length;
            for (int i = 0; i <= last; i++) {
                if (maybeFold(value.charAt(i), c) == first && regionMatches(value, i)) {
                    return true;
                }
            }
            return false;
        }
    }
}
