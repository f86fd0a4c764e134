package io.spawnwatch.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Refuses a control socket directory that another user could use to swap the
 * socket: if an unprivileged user owns it (say, created it before the sensor
 * started), or may write to it or to a directory above it, that user can move
 * root's socket aside and listen in its place, and root's CLI would talk to
 * the impostor. Accepted: every directory on the path, symbolic links
 * included, owned by root or by the sensor's own user; none writable by group
 * or others, except a sticky directory above the socket's (such as /tmp,
 * where nobody may rename another user's entries).
 */
final class SocketDirectory {
    private static final int S_ISVTX = 01000;
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;

    private SocketDirectory() {}

    /**
     * @param owner the uid besides root that may own the directories (the sensor's effective uid)
     * @throws IOException one line naming the directory, what is wrong and what to do
     */
    static void check(Path dir, long owner) throws IOException {
        Path given = dir.toAbsolutePath().normalize();
        checkChain(given, given, owner);
        Path real = given.toRealPath();
        if (!real.equals(given)) {
            checkChain(real, real, owner);
        }
    }

    private static void checkChain(Path socketDir, Path start, long owner) throws IOException {
        for (Path p = start; p != null; p = p.getParent()) {
            Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
            long uid = ((Number) a.get("uid")).longValue();
            int mode = (Integer) a.get("mode");
            if ((mode & S_IFMT) == S_IFLNK) {
                if (uid != 0 && uid != owner) {
                    throw refuse(socketDir, p + " is a symbolic link owned by uid=" + uid + ", not root");
                }
                continue; // a link's own mode means nothing; its target is checked through the real path
            }
            if (uid != 0 && uid != owner) {
                throw refuse(socketDir, p + " is owned by uid=" + uid + ", not root");
            }
            boolean othersWrite = (mode & 0022) != 0;
            boolean sticky = (mode & S_ISVTX) != 0;
            if (othersWrite && (p.equals(socketDir) || !sticky)) {
                throw refuse(socketDir, p + " is writable by " + ((mode & 0002) != 0 ? "others" : "its group")
                        + " (mode " + String.format("%04o", mode & 07777) + ")");
            }
        }
    }

    private static IOException refuse(Path socketDir, String why) {
        return new IOException("control: refusing socket directory " + socketDir + ": " + why + "; another user"
                + " could replace the socket. Remove the directory (the sensor creates it, mode 0700), fix its"
                + " owner and mode, or choose another --socket");
    }
}
