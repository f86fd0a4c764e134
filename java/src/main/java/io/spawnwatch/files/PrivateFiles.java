package io.spawnwatch.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Creates the files and directories the sensor keeps (baseline database,
 * exceptions file, control socket directory) with private modes whatever the
 * process's umask: 0600 files in 0700 directories, or 0640/0750 owned by the
 * configured group when there is one. The modes are set with chmod after
 * creation, which the umask does not touch (it only ever removes bits, and
 * an umask of 000 would otherwise leave 0666/0777: command lines and
 * baselines readable by every local user).
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> DIR_GROUP = PosixFilePermissions.fromString("rwxr-x---");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> FILE_GROUP = PosixFilePermissions.fromString("rw-r-----");

    private PrivateFiles() {}

    /**
     * Creates {@code dir} and each missing parent with mode 0700 (0750 and the
     * group when {@code group >= 0}). Directories that exist keep what their
     * owner gave them.
     *
     * @param group a gid, or -1 for none
     * @throws IOException naming the path that could not be created or changed
     */
    public static void createDirectories(Path dir, long group) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS);
                p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw new IOException(p + " exists and is not a directory", e);
                }
                continue; // created meanwhile by someone else: theirs
            }
            restrict(p, group >= 0 ? DIR_GROUP : DIR, group);
        }
    }

    /**
     * Makes sure {@code file} exists (empty when new) with mode 0600 (0640 and
     * the group when {@code group >= 0}), its directory created as by
     * {@link #createDirectories}. An existing file with a looser mode is
     * tightened to it: returns true when it had to be.
     */
    public static boolean prepareFile(Path file, long group) throws IOException {
        Path parent = file.toAbsolutePath().normalize().getParent();
        if (parent != null) {
            createDirectories(parent, group);
        }
        Set<PosixFilePermission> wanted = group >= 0 ? FILE_GROUP : FILE;
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(wanted));
            restrict(file, wanted, group);
            return false;
        } catch (FileAlreadyExistsException e) {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(file);
            if (wanted.containsAll(now)) {
                return false;
            }
            restrict(file, wanted, group);
            return true;
        }
    }

    /** Sets a file's mode to 0600 (0640 and the group when {@code group >= 0}), whatever it was. */
    public static void restrictFile(Path file, long group) throws IOException {
        restrict(file, group >= 0 ? FILE_GROUP : FILE, group);
    }

    private static void restrict(Path p, Set<PosixFilePermission> mode, long group) throws IOException {
        Files.setPosixFilePermissions(p, mode);
        if (group >= 0) {
            Files.setAttribute(p, "unix:gid", (int) group, LinkOption.NOFOLLOW_LINKS);
        }
    }
}
