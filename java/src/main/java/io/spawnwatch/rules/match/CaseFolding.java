package io.spawnwatch.rules.match;

/**
 * Case folding for Sigma's case-insensitive default, one char at a time so
 * that nothing is allocated. ASCII (nearly every path and command line) takes
 * a branch-only fast path; other chars fold through {@link Character}, which
 * also allocates nothing.
 */
public final class CaseFolding {
    private CaseFolding() {}

    public static char fold(char c) {
        if (c < 0x80) {
            return (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
        }
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    /** Folds a rule literal once, at compile time. */
    public static String fold(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            out.append(fold(s.charAt(i)));
        }
        return out.toString();
    }

    /** Returns {@code c} folded when {@code cased} is false. */
    static char maybeFold(char c, boolean cased) {
        return cased ? c : fold(c);
    }
}
