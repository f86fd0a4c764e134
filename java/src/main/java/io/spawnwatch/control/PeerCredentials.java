package io.spawnwatch.control;

import io.spawnwatch.sys.Errno;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Who is at the other end of a Unix socket, as the kernel recorded it when the
 * peer called connect(): numeric pid, uid and primary gid (SO_PEERCRED) and the
 * supplementary groups (SO_PEERGROUPS, Linux 4.13+).
 *
 * <p>Numbers straight from the kernel, never names: no NSS lookup runs on the
 * accept path and no two users can be confused by a shared name.
 */
public record PeerCredentials(long pid, long uid, long gid, long[] groups) {
    private static final int INITIAL_GROUPS = 32;

    public PeerCredentials {
        groups = groups.clone();
    }

    @Override
    public long[] groups() {
        return groups.clone();
    }

    /** "uid=65534 gid=65534 pid=4242 groups=[65534]", for log lines and messages. */
    @Override
    public String toString() {
        return "uid=" + uid + " gid=" + gid + " pid=" + pid + " groups=" + Arrays.toString(groups);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerCredentials p
                && p.pid == pid && p.uid == uid && p.gid == gid && Arrays.equals(p.groups, groups);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(pid) * 31 + Long.hashCode(uid) * 17 + Long.hashCode(gid) + Arrays.hashCode(groups);
    }

    /** Reads the credentials of the peer of a connected Unix stream socket. */
    static PeerCredentials of(int fd) throws IOException {
        Libc.CallState errno = Libc.CallState.current();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ucred = arena.allocate(Libc.UCRED_SIZE, 4);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, Libc.UCRED_SIZE);
            if (Libc.getsockopt(errno, fd, Libc.SOL_SOCKET, Libc.SO_PEERCRED, ucred, len) != 0) {
                throw new IOException("control: getsockopt(SO_PEERCRED) failed for fd=" + fd + ": "
                        + Errno.describe(errno.value()));
            }
            long pid = ucred.get(JAVA_INT, 0);
            long uid = Integer.toUnsignedLong(ucred.get(JAVA_INT, 4));
            long gid = Integer.toUnsignedLong(ucred.get(JAVA_INT, 8));
            return new PeerCredentials(pid, uid, gid, groups(fd, arena, errno));
        }
    }

    private static long[] groups(int fd, Arena arena, Libc.CallState errno) throws IOException {
        int capacity = INITIAL_GROUPS;
        while (true) {
            MemorySegment buf = arena.allocate((long) capacity * Integer.BYTES, 4);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, capacity * Integer.BYTES);
            if (Libc.getsockopt(errno, fd, Libc.SOL_SOCKET, Libc.SO_PEERGROUPS, buf, len) == 0) {
                int count = len.get(JAVA_INT, 0) / Integer.BYTES;
                long[] groups = new long[count];
                for (int i = 0; i < count; i++) {
                    groups[i] = Integer.toUnsignedLong(buf.getAtIndex(JAVA_INT, i));
                }
                return groups;
            }
            int err = errno.value();
            if (err == Errno.ERANGE) {
                // The kernel wrote the size it needs into len.
                capacity = Math.max(capacity * 2, len.get(JAVA_INT, 0) / Integer.BYTES);
                continue;
            }
            if (err == 92 /* ENOPROTOOPT: kernel older than 4.13 */) {
                return new long[0];
            }
            throw new IOException("control: getsockopt(SO_PEERGROUPS) failed for fd=" + fd + ": "
                    + Errno.describe(err));
        }
    }
}
