package io.spawnwatch.rules.match;

/**
 * Case folding for Sigma's case-insensitive default, one char at a time so
 * that nothing is allocated. Event text is UTF-8 bytes one per char
 * ({@link io.spawnwatch.event.Utf8Chars}), so only ASCII letters fold: a byte
 * of 0x80 and above is part of a multi-byte character, and folding it as if it
 * were a Latin-1 letter would equate unrelated characters. Non-ASCII letters
 * therefore match in the case they are written.
 */
public final class CaseFolding {
    private CaseFolding() {}

    public static char fold(char c) {
        return (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
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
