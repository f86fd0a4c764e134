package io.spawnwatch.event;

import java.nio.charset.StandardCharsets;

/**
 * Text as events expose it to the rules: the UTF-8 bytes of the kernel's strings, one byte per char
 * ({@link SegmentText}), so that reading a path costs no decoding. Anything compared with event text (rule
 * literals, regular expressions) is turned into the same form once, when it is compiled: "é" becomes the two
 * chars 0xC3 0xA9. ASCII is the same in both forms.
 */
public final class Utf8Chars {
    private Utf8Chars() {}

    /** {@code text}'s UTF-8 bytes, one char each (0-255). */
    public static String of(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** Back from one-byte-per-char to the text those UTF-8 bytes spell (malformed bytes become U+FFFD). */
    public static String decode(CharSequence bytes) {
        byte[] b = new byte[bytes.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes.charAt(i);
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
