package io.spawnwatch.kernel;

import io.spawnwatch.event.FileRecordDescriptor;
import java.nio.charset.StandardCharsets;

/**
 * What the kernel's file filter accepts, checked before it reaches the maps:
 * path prefixes (the prefix trie compares the first
 * {@value FileRecordDescriptor#PREFIX_LENGTH} bytes), base names (at most
 * {@value FileRecordDescriptor#NAME_LENGTH} - 1 bytes) and script extensions
 * (a dot and at most 6 more bytes, lower case: the kernel lower-cases what it
 * compares).
 */
public final class WatchedPaths {
    private WatchedPaths() {}

    /** Null when the prefix is usable, else what is wrong with it. */
    public static String validatePrefix(String prefix) {
        if (prefix == null || !prefix.startsWith("/")) {
            return "'" + prefix + "' is not an absolute path";
        }
        int len = prefix.getBytes(StandardCharsets.UTF_8).length;
        if (len > FileRecordDescriptor.PREFIX_LENGTH) {
            return "'" + prefix + "' is longer than " + FileRecordDescriptor.PREFIX_LENGTH
                    + " bytes (the kernel compares that many)";
        }
        return null;
    }

    /** A directory as a prefix: with its trailing '/', so that /srv does not match /srvdata. */
    public static String directory(String dir) {
        return dir.endsWith("/") ? dir : dir + "/";
    }

    public static String validateName(String name) {
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0) {
            return "'" + name + "' is not a file name (no '/')";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length >= FileRecordDescriptor.NAME_LENGTH) {
            return "'" + name + "' is longer than " + (FileRecordDescriptor.NAME_LENGTH - 1) + " bytes";
        }
        return null;
    }

    public static String validateExtension(String ext) {
        if (ext == null || !ext.startsWith(".") || ext.length() < 2) {
            return "'" + ext + "' is not an extension with its dot, e.g. '.php'";
        }
        if (ext.getBytes(StandardCharsets.UTF_8).length >= FileRecordDescriptor.EXTENSION_LENGTH) {
            return "'" + ext + "' is longer than " + (FileRecordDescriptor.EXTENSION_LENGTH - 1)
                    + " bytes with its dot";
        }
        if (!ext.equals(ext.toLowerCase(java.util.Locale.ROOT))) {
            return "'" + ext + "' must be lower case (the kernel compares extensions lower-cased)";
        }
        return null;
    }
}
