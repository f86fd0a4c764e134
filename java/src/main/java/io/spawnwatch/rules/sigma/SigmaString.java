package io.spawnwatch.rules.sigma;

import io.spawnwatch.rules.match.CaseFolding;
import io.spawnwatch.rules.match.GlobPredicate;
import io.spawnwatch.rules.match.LiteralPredicates;
import io.spawnwatch.event.Utf8Chars;
import io.spawnwatch.rules.match.LiteralPredicates.Shape;
import io.spawnwatch.rules.match.TextPredicate;
import java.util.ArrayList;
import java.util.List;

/**
 * A Sigma string value: literal chars and the wildcards {@code *} and
 * {@code ?}, after the specification's backslash rules ({@code \*} and
 * {@code \?} are literal, {@code \\} is one backslash, a backslash before any
 * other char is itself). Compiles to the cheapest matching shape: equals,
 * startswith, endswith or contains when the wildcards allow it, a glob
 * otherwise; never a regex.
 */
public final class SigmaString {
    /** Chars as {@code int}: a char, or {@link GlobPredicate#STAR} / {@link GlobPredicate#ONE}. */
    private final int[] codes;
    private final String source;

    private SigmaString(int[] codes, String source) {
        this.codes = codes;
        this.source = source;
    }

    public static SigmaString parse(String text) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char n = text.charAt(i + 1);
                if (n == '*' || n == '?' || n == '\\') {
                    out.add((int) n);
                    i++;
                    continue;
                }
                out.add((int) c);
            } else if (c == '*') {
                out.add(GlobPredicate.STAR);
            } else if (c == '?') {
                out.add(GlobPredicate.ONE);
            } else {
                out.add((int) c);
            }
        }
        return new SigmaString(out.stream().mapToInt(Integer::intValue).toArray(), text);
    }

    /** A plain literal, with no wildcard (e.g. a base64 encoding). */
    public static SigmaString literal(String text) {
        return new SigmaString(text.chars().toArray(), text);
    }

    public boolean hasWildcards() {
        for (int c : codes) {
            if (c < 0) {
                return true;
            }
        }
        return false;
    }

    /** The value's chars with wildcards as they are written; only meaningful without wildcards. */
    public String plain() {
        StringBuilder b = new StringBuilder();
        for (int c : codes) {
            b.append(c == GlobPredicate.STAR ? '*' : c == GlobPredicate.ONE ? '?' : (char) c);
        }
        return b.toString();
    }

    public String source() {
        return source;
    }

    /** {@code *} before and/or after, as contains/startswith/endswith put them. */
    public SigmaString wrap(boolean starBefore, boolean starAfter) {
        starBefore &= codes.length == 0 || codes[0] != GlobPredicate.STAR;
        starAfter &= codes.length == 0 || codes[codes.length - 1] != GlobPredicate.STAR;
        int extra = (starBefore ? 1 : 0) + (starAfter ? 1 : 0);
        int[] out = new int[codes.length + extra];
        int j = 0;
        if (starBefore) {
            out[j++] = GlobPredicate.STAR;
        }
        System.arraycopy(codes, 0, out, j, codes.length);
        if (starAfter) {
            out[out.length - 1] = GlobPredicate.STAR;
        }
        return new SigmaString(out, source);
    }

    /** Replaces every char in {@code from} by each char of {@code variants}, all combinations. */
    public List<SigmaString> permute(String from, String variants, int limit) {
        List<int[]> acc = new ArrayList<>();
        acc.add(codes.clone());
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] >= 0 && from.indexOf((char) codes[i]) >= 0) {
                List<int[]> next = new ArrayList<>();
                for (int[] a : acc) {
                    for (int v = 0; v < variants.length(); v++) {
                        int[] b = a.clone();
                        b[i] = variants.charAt(v);
                        next.add(b);
                    }
                }
                acc = next;
                if (acc.size() > limit) {
                    return null;
                }
            }
        }
        return acc.stream().map(a -> new SigmaString(a, source)).toList();
    }

    /**
     * The cheapest predicate that matches exactly what this value matches, over event text as it is: UTF-8
     * bytes one per char ({@link Utf8Chars}), so the value's chars are turned into their UTF-8 bytes here. A
     * {@code ?} stands for one byte, which is one char only in ASCII.
     */
    public TextPredicate toPredicate(boolean cased) {
        int[] codes = utf8(this.codes);
        int n = codes.length;
        int stars = 0;
        boolean ones = false;
        for (int c : codes) {
            stars += c == GlobPredicate.STAR ? 1 : 0;
            ones |= c == GlobPredicate.ONE;
        }
        if (!ones) {
            boolean lead = n > 0 && codes[0] == GlobPredicate.STAR;
            boolean trail = n > 1 && codes[n - 1] == GlobPredicate.STAR;
            if (stars == 0) {
                return LiteralPredicates.of(Shape.EQUALS, chars(codes, 0, n), cased);
            }
            if (stars == 1 && lead) {
                return LiteralPredicates.of(Shape.ENDSWITH, chars(codes, 1, n), cased);
            }
            if (stars == 1 && codes[n - 1] == GlobPredicate.STAR) {
                return LiteralPredicates.of(Shape.STARTSWITH, chars(codes, 0, n - 1), cased);
            }
            if (stars == 2 && lead && trail) {
                return LiteralPredicates.of(Shape.CONTAINS, chars(codes, 1, n - 1), cased);
            }
        }
        int[] pattern = codes; // a fresh array from utf8()
        if (!cased) {
            for (int i = 0; i < pattern.length; i++) {
                if (pattern[i] >= 0) {
                    pattern[i] = CaseFolding.fold((char) pattern[i]);
                }
            }
        }
        return new GlobPredicate(collapseStars(pattern), cased, source);
    }

    /** Each char as its UTF-8 bytes (a surrogate pair as its code point's); wildcards as they are. */
    private static int[] utf8(int[] codes) {
        StringBuilder literal = new StringBuilder();
        int[] out = new int[codes.length * 3];
        int j = 0;
        for (int i = 0; i < codes.length; i++) {
            int c = codes[i];
            if (c < 0x80) { // ASCII and the wildcards (negative)
                if (out.length < j + 1) {
                    out = java.util.Arrays.copyOf(out, out.length * 2 + 4);
                }
                out[j++] = c;
                continue;
            }
            literal.setLength(0);
            literal.append((char) c);
            if (Character.isHighSurrogate((char) c) && i + 1 < codes.length && codes[i + 1] >= 0
                    && Character.isLowSurrogate((char) codes[i + 1])) {
                literal.append((char) codes[++i]);
            }
            String bytes = Utf8Chars.of(literal.toString());
            if (out.length < j + bytes.length()) {
                out = java.util.Arrays.copyOf(out, out.length * 2 + bytes.length());
            }
            for (int k = 0; k < bytes.length(); k++) {
                out[j++] = bytes.charAt(k);
            }
        }
        return java.util.Arrays.copyOf(out, j);
    }

    private static String chars(int[] codes, int from, int to) {
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            b.append((char) codes[i]);
        }
        return b.toString();
    }

    private static int[] collapseStars(int[] p) {
        int[] out = new int[p.length];
        int j = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == GlobPredicate.STAR && j > 0 && out[j - 1] == GlobPredicate.STAR) {
                continue;
            }
            out[j++] = p[i];
        }
        return java.util.Arrays.copyOf(out, j);
    }

    @Override
    public String toString() {
        return source;
    }
}
