package io.spawnwatch.rules.sigma;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Sigma's value transformations that produce new literals: base64, base64offset, windash. */
final class ValueEncodings {
    /** Dash-like chars that windash makes interchangeable: - / en dash, em dash, horizontal bar. */
    static final String DASHES = "-/\u2013\u2014\u2015";
    /** Refuse a windash expansion beyond this many variants (5^4 = 625 is fine, 5^5 is not). */
    static final int WINDASH_LIMIT = 625;

    private ValueEncodings() {}

    static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The three encodings of {@code value} as it may appear inside a longer
     * base64 string, depending on its byte offset modulo 3: encode with 0, 1
     * or 2 leading bytes, then cut the chars that depend on the neighbours.
     * Same offsets as pySigma, so a rule means the same thing here and there.
     */
    static List<String> base64Offsets(String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        int[] start = {0, 2, 3};
        int[] endCut = {0, 3, 2};
        List<String> out = new ArrayList<>(3);
        for (int i = 0; i < 3; i++) {
            byte[] shifted = new byte[v.length + i];
            for (int j = 0; j < i; j++) {
                shifted[j] = ' ';
            }
            System.arraycopy(v, 0, shifted, i, v.length);
            String enc = Base64.getEncoder().encodeToString(shifted);
            int end = enc.length() - endCut[(v.length + i) % 3];
            out.add(enc.substring(start[i], end));
        }
        return out;
    }
}
