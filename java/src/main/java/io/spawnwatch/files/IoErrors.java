package io.spawnwatch.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * What went wrong with a file, in the words of the system's own error ("no such file or directory",
 * "permission denied", "is a directory", "read-only file system"), for messages that name the file
 * themselves. Java's {@code NoSuchFileException} has only the path as its message and its
 * {@code toString()} starts with the class name: neither tells a user anything.
 */
public final class IoErrors {
    private IoErrors() {}

    /** The reason alone, lower case, without the path or an exception class name. */
    public static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return lowerFirst(f.getReason()); // strerror: "Is a directory", "Read-only file system"
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "input/output error" : m;
    }

    /**
     * Why {@code file} cannot be created, or null when its directory is there: the nearest ancestor that
     * exists is named when it is not a directory ("/etc/passwd is not a directory"), else the missing
     * directory ("directory /var/log/spawnwatch does not exist").
     *
     * @param file an absolute path
     */
    public static String whyNotCreatable(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || Files.isDirectory(parent)) {
            return null;
        }
        Path existing = parent;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            return existing + " is not a directory";
        }
        return "directory " + parent + " does not exist";
    }

    /**
     * Why {@code file} cannot be created together with its missing directories (the sensor makes those),
     * or null when it can: the nearest ancestor that exists must be a directory we may write to.
     *
     * @param file an absolute path
     */
    public static String whyNotCreatableWithDirectories(Path file) {
        return whyNotCreatableWithDirectories(file, isRoot());
    }

    /** @param asRoot whether to judge writability: only root's answer counts (see the caller's comment) */
    static String whyNotCreatableWithDirectories(Path file, boolean asRoot) {
        Path existing = file.toAbsolutePath().getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return null;
        }
        if (!Files.isDirectory(existing)) {
            return existing + " is not a directory";
        }
        // Only root's answer counts: the sensor runs as root, and `config check` as another user would
        // otherwise refuse every default path under /var/lib.
        return !asRoot || Files.isWritable(existing) ? null : "directory " + existing + " is not writable"
                + " (a read-only file system?)";
    }

    /** Whether this process runs as root: /proc/self belongs to the effective uid. */
    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
