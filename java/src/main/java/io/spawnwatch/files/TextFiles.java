package io.spawnwatch.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads the small text files an operator hands the sensor (configuration, rules,
 * exceptions) so that a wrong file fails with one line instead of a crash:
 * only regular files, at most a given size (checked before reading and while
 * reading, so {@code /dev/zero} or a growing file cannot exhaust memory), and
 * strict UTF-8 whose error names the line and column of the first bad byte.
 */
public final class TextFiles {
    /** Upper bound for a configuration, rule or exceptions file: 4 MiB. */
    public static final long MAX_BYTES = 4L * 1024 * 1024;

    private TextFiles() {}

    /** A file that exists but cannot be used as text; the message says why, without the path. */
    public static final class Unreadable extends IOException {
        private final int line;

        Unreadable(int line, String message) {
            super(message);
            this.line = line;
        }

        /** 1-based line of the problem, 0 when it concerns the whole file. */
        public int line() {
            return line;
        }
    }

    /**
     * The file's text.
     *
     * @param maxBytes the largest size accepted, in bytes
     * @throws java.nio.file.NoSuchFileException when it does not exist
     * @throws Unreadable when it is not a regular file, is larger than {@code maxBytes}
     *     or is not UTF-8 ("line 3, column 7: not UTF-8 (byte 0xff)")
     */
    public static String readUtf8(Path file, long maxBytes) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attrs.isRegularFile()) {
            throw new Unreadable(0, "not a regular file (" + kind(attrs) + "); expected a YAML file");
        }
        if (attrs.size() > maxBytes) {
            throw tooLarge(attrs.size(), maxBytes);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(bytes.length, maxBytes);
        }
        return decode(bytes);
    }

    /** Strict UTF-8; the error names the line and column (1-based, in bytes) of the first invalid byte. */
    public static String decode(byte[] bytes) throws Unreadable {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        var result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new Unreadable(line, "line " + line + ", column " + (at - lineStart + 1) + ": not UTF-8 (byte 0x"
                    + String.format("%02x", bytes[at] & 0xff) + "); save the file as UTF-8");
        }
        try {
            decoder.flush(out);
        } catch (RuntimeException e) {
            throw new Unreadable(0, "not UTF-8: " + e.getMessage());
        }
        out.flip();
        return out.toString();
    }

    private static Unreadable tooLarge(long size, long max) {
        return new Unreadable(0, "too large: " + size + " bytes, at most " + max + " accepted");
    }

    private static String kind(BasicFileAttributes a) {
        if (a.isDirectory()) {
            return "a directory";
        }
        return a.isSymbolicLink() ? "a symbolic link" : "a device, socket or pipe";
    }
}
