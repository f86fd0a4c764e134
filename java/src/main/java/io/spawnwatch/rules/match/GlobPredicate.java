package io.spawnwatch.rules.match;

import static io.spawnwatch.rules.match.CaseFolding.maybeFold;

/**
 * A Sigma value with wildcards inside it ({@code /var/www/*.ch},
 * {@code *| openssl*enc * -d *}), matched without a regex: the classic
 * two-pointer algorithm that backtracks only to the last {@code *}. Worst case
 * O(value x pattern), no allocation, no catastrophic backtracking.
 */
public final class GlobPredicate implements TextPredicate {
    /** Pattern code for {@code *}: any run of chars, possibly empty. */
    public static final int STAR = -1;
    /** Pattern code for {@code ?}: exactly one char. */
    public static final int ONE = -2;

    private final int[] pattern;
    private final boolean cased;
    private final String source;

    /**
     * @param pattern chars (already folded unless cased) and {@link #STAR}/{@link #ONE}
     * @param source the rule's text, for messages and tests
     */
    public GlobPredicate(int[] pattern, boolean cased, String source) {
        this.pattern = pattern.clone();
        this.cased = cased;
        this.source = source;
    }

    @Override
    public boolean test(CharSequence value) {
        final int[] p = pattern;
        final int m = p.length;
        final int n = value.length();
        final boolean c = cased;
        int s = 0;
        int q = 0;
        int starQ = -1;
        int starS = 0;
        while (s < n) {
            if (q < m && p[q] != STAR && (p[q] == ONE || p[q] == maybeFold(value.charAt(s), c))) {
                s++;
                q++;
            } else if (q < m && p[q] == STAR) {
                starQ = q++;
                starS = s;
            } else if (starQ >= 0) {
                q = starQ + 1;
                s = ++starS;
            } else {
                return false;
            }
        }
        while (q < m && p[q] == STAR) {
            q++;
        }
        return q == m;
    }

    public boolean cased() {
        return cased;
    }

    /**
     * The longest run of plain chars in the pattern (folded unless cased),
     * which every matching value contains; null when the pattern has none.
     */
    public String requiredLiteral() {
        int bestFrom = 0;
        int bestLen = 0;
        for (int i = 0; i < pattern.length; ) {
            if (pattern[i] < 0) {
                i++;
                continue;
            }
            int from = i;
            while (i < pattern.length && pattern[i] >= 0) {
                i++;
            }
            if (i - from > bestLen) {
                bestFrom = from;
                bestLen = i - from;
            }
        }
        if (bestLen == 0) {
            return null;
        }
        StringBuilder b = new StringBuilder(bestLen);
        for (int i = bestFrom; i < bestFrom + bestLen; i++) {
            b.append((char) pattern[i]);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "glob" + (cased ? "|cased" : "") + "('" + source + "')";
    }
}
