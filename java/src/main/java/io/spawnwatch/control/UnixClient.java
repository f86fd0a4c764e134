package io.spawnwatch.control;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.spawnwatch.sys.Errno;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The client end of the control socket, for the CLI: connects with FFM (as the
 * server listens) so that it can read the server's credentials with
 * SO_PEERCRED before it sends anything. Whoever can listen on the socket's
 * path gets the CLI's requests; this is how the CLI knows it is the sensor.
 */
public final class UnixClient implements AutoCloseable {
    /** connect() failed; {@link #errno()} says how (ENOENT, EACCES, ECONNREFUSED...). */
    public static final class ConnectFailed extends IOException {
        private final int errno;

        ConnectFailed(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }

        public boolean noSuchFile() {
            return errno == Errno.ENOENT;
        }

        public boolean permissionDenied() {
            return errno == Errno.EACCES || errno == Errno.EPERM;
        }

        public boolean refused() {
            return errno == Errno.ECONNREFUSED;
        }
    }

    private final UnixStream stream;
    private final PeerCredentials server;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readBuffer = arena.allocate(16 * 1024);

    private UnixClient(UnixStream stream, PeerCredentials server) {
        this.stream = stream;
        this.server = server;
    }

    /**
     * Connects and reads the listening process's credentials; sends nothing.
     *
     * @throws ConnectFailed when connect() fails
     * @throws IOException when the path is too long or the credentials cannot be read
     */
    public static UnixClient connect(Path socket) throws IOException {
        byte[] encoded = socket.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        if (encoded.length >= Libc.SUN_PATH_MAX) {
            throw new IOException("socket path too long: " + encoded.length + " bytes, at most "
                    + (Libc.SUN_PATH_MAX - 1));
        }
        Libc.CallState errno = Libc.CallState.current();
        int fd = Libc.socket(errno, Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("socket(AF_UNIX) failed: " + Errno.describe(errno.value()));
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(Libc.SOCKADDR_UN_SIZE, 2);
            addr.set(JAVA_SHORT, 0, (short) Libc.AF_UNIX);
            MemorySegment.copy(encoded, 0, addr, JAVA_BYTE, Libc.SUN_PATH_OFFSET, encoded.length);
            while (Libc.connect(errno, fd, addr, Libc.SUN_PATH_OFFSET + encoded.length + 1) != 0) {
                int err = errno.value();
                if (err != Errno.EINTR) {
                    Libc.close(errno, fd);
                    throw new ConnectFailed(Errno.describe(err), err);
                }
            }
        }
        try {
            return new UnixClient(new UnixStream(fd), PeerCredentials.of(fd));
        } catch (IOException | RuntimeException e) {
            Libc.close(errno, fd);
            throw e;
        }
    }

    /** Who listens on the socket, as the kernel recorded it when it called listen(). */
    public PeerCredentials server() {
        return server;
    }

    /** This process's effective uid. */
    public static long effectiveUid() {
        return Libc.geteuid();
    }

    /** Bytes from the server; -1 at end of stream. */
    public InputStream in() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int n = stream.read(readBuffer.asSlice(0, Math.min(len, readBuffer.byteSize())));
                if (n <= 0) {
                    return -1;
                }
                MemorySegment.copy(readBuffer, JAVA_BYTE, 0, b, off, n);
                return n;
            }
        };
    }

    /** Bytes to the server; each write is sent whole. */
    public OutputStream out() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                stream.write(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                stream.write(java.util.Arrays.copyOfRange(b, off, off + len));
            }
        };
    }

    @Override
    public void close() {
        stream.shutdown();
        stream.close();
        arena.close();
    }
}
