package io.spawnwatch.control;

import io.spawnwatch.sys.Errno;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A listening AF_UNIX stream socket made with FFM, so that accepted sockets are
 * plain file descriptors on which {@link PeerCredentials#of(int)} can read
 * numeric SO_PEERCRED.
 *
 * <p>Creation order is bind, chmod, chown, listen: until listen() nobody can
 * connect, so there is no window in which the socket file has a looser mode
 * than asked. A socket file left by a sensor that died is replaced; one that
 * somebody still listens on is not.
 */
final class UnixListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.spawnwatch.control");
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int BACKLOG = 128;

    private final Path path;
    private final int fd;
    private final Object inode;
    private final Object lock = new Object();
    private boolean shut;
    private boolean closed;

    private UnixListener(Path path, int fd, Object inode) {
        this.path = path;
        this.fd = fd;
        this.inode = inode;
    }

    /**
     * Creates the parent directory if missing (with {@code directoryMode}),
     * replaces a stale socket file, binds, applies {@code socketMode} and the
     * optional group, and listens.
     */
    static UnixListener open(Path socket, int directoryMode, int socketMode, long group) throws IOException {
        Path path = socket.toAbsolutePath().normalize();
        byte[] encoded = path.toString().getBytes(StandardCharsets.UTF_8);
        if (encoded.length >= Libc.SUN_PATH_MAX) {
            throw new IOException("control: socket path too long: path=" + path + " length=" + encoded.length
                    + " max=" + (Libc.SUN_PATH_MAX - 1) + " bytes; choose a shorter --socket");
        }
        prepareDirectory(path.getParent(), directoryMode, group);
        removeStale(path, encoded);

        Libc.CallState errno = Libc.CallState.current();
        int fd = Libc.socket(errno, Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("control: socket(AF_UNIX) failed: " + Errno.describe(errno.value()));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = sockaddr(arena, encoded);
            MemorySegment cpath = arena.allocateFrom(path.toString());
            if (Libc.bind(errno, fd, addr, Libc.SUN_PATH_OFFSET + encoded.length + 1) != 0) {
                throw new IOException("control: bind failed for socket=" + path + ": " + Errno.describe(errno.value()));
            }
            if (Libc.chmod(errno, cpath, socketMode) != 0) {
                throw new IOException("control: chmod " + Integer.toOctalString(socketMode) + " failed for socket="
                        + path + ": " + Errno.describe(errno.value()));
            }
            if (group >= 0 && Libc.chown(errno, cpath, -1, (int) group) != 0) {
                throw new IOException("control: chown :" + group + " failed for socket=" + path + ": "
                        + Errno.describe(errno.value()));
            }
            if (Libc.listen(errno, fd, BACKLOG) != 0) {
                throw new IOException("control: listen failed for socket=" + path + ": " + Errno.describe(errno.value()));
            }
            Object inode = Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            return new UnixListener(path, fd, inode);
        } catch (IOException | RuntimeException e) {
            Libc.close(errno, fd);
            throw e;
        }
    }

    Path path() {
        return path;
    }

    /**
     * Blocks until a peer connects; returns its fd, or -1 once {@link #shutdown()}
     * was called. Transient failures (EINTR, ECONNABORTED, EMFILE) are retried.
     */
    int accept() throws IOException {
        Libc.CallState errno = Libc.CallState.current();
        while (true) {
            int client = Libc.accept4(errno, fd, Libc.SOCK_CLOEXEC);
            if (client >= 0) {
                return client;
            }
            int err = errno.value();
            synchronized (lock) {
                if (shut) {
                    return -1;
                }
            }
            if (err == Errno.EINTR || err == Errno.ECONNABORTED) {
                continue;
            }
            if (err == 23 /* ENFILE */ || err == 24 /* EMFILE */ || err == 12 /* ENOMEM */) {
                LOG.log(System.Logger.Level.WARNING, "control: accept failed on socket={0}: {1}; retrying in 100 ms",
                        path, Errno.describe(err));
                sleepQuietly(100);
                continue;
            }
            throw new IOException("control: accept failed on socket=" + path + ": " + Errno.describe(err));
        }
    }

    /** Wakes a thread blocked in {@link #accept()} (shutdown on a listening socket makes accept fail). */
    void shutdown() {
        synchronized (lock) {
            if (!shut && !closed) {
                shut = true;
                Libc.shutdown(Libc.CallState.current(), fd, Libc.SHUT_RDWR);
            }
        }
    }

    /** Closes the socket and removes its file, unless another process has replaced it since. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            shut = true;
            closed = true;
            Libc.close(Libc.CallState.current(), fd);
        }
        try {
            if (inode.equals(Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS))) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException e) {
            // Already gone.
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "control: could not remove socket={0}: {1}", path,
                    io.spawnwatch.files.IoErrors.describe(e));
        }
    }

    private static void prepareDirectory(Path dir, int mode, long group) throws IOException {
        if (dir == null) {
            return;
        }
        createDirectory(dir, mode, group);
        // Created now or found: either way nobody but root (or this sensor's user) may swap what is in it.
        SocketDirectory.check(dir, Libc.geteuid());
    }

    private static void createDirectory(Path dir, int mode, long group) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return; // An existing directory keeps the mode its owner gave it (checked by the caller).
        }
        // Missing parents: 0700 (0750 with the group) whatever the umask, like the directory itself.
        io.spawnwatch.files.PrivateFiles.createDirectories(dir.getParent(), group);
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("control: " + dir + " exists and is not a directory; remove it or choose"
                        + " another --socket", e);
            }
            return;
        }
        Libc.CallState errno = Libc.CallState.current();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(dir.toString());
            // chmod after mkdir: the umask may have removed bits we asked for.
            if (Libc.chmod(errno, cpath, mode) != 0) {
                throw new IOException("control: chmod " + Integer.toOctalString(mode) + " failed for directory="
                        + dir + ": " + Errno.describe(errno.value()));
            }
            if (group >= 0 && Libc.chown(errno, cpath, -1, (int) group) != 0) {
                throw new IOException("control: chown :" + group + " failed for directory=" + dir + ": "
                        + Errno.describe(errno.value()));
            }
        }
    }

    private static void removeStale(Path path, byte[] encoded) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException("control: " + path + " exists and is not a socket; remove it or choose another"
                    + " --socket");
        }
        Libc.CallState errno = Libc.CallState.current();
        int probe = Libc.socket(errno, Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        if (probe < 0) {
            throw new IOException("control: socket(AF_UNIX) failed: " + Errno.describe(errno.value()));
        }
        try (Arena arena = Arena.ofConfined()) {
            int rc = Libc.connect(errno, probe, sockaddr(arena, encoded), Libc.SUN_PATH_OFFSET + encoded.length + 1);
            if (rc == 0) {
                throw new IOException("control: another process is listening on socket=" + path
                        + "; stop it (spawnwatch shutdown) or choose another --socket");
            }
            int err = errno.value();
            if (err != Errno.ECONNREFUSED) {
                throw new IOException("control: cannot tell whether socket=" + path + " is in use: "
                        + Errno.describe(err));
            }
        } finally {
            Libc.close(errno, probe);
        }
        Files.delete(path);
        LOG.log(System.Logger.Level.INFO, "control: replaced stale socket={0} (nobody was listening)", path);
    }

    private static MemorySegment sockaddr(Arena arena, byte[] encoded) {
        MemorySegment addr = arena.allocate(Libc.SOCKADDR_UN_SIZE, 2);
        addr.set(JAVA_SHORT, 0, (short) Libc.AF_UNIX);
        MemorySegment.copy(encoded, 0, addr, JAVA_BYTE, Libc.SUN_PATH_OFFSET, encoded.length);
        return addr; // allocate() zeroes: sun_path is NUL-terminated.
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
