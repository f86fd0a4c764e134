package io.spawnwatch.control;

import io.spawnwatch.sys.Errno;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One accepted connection: a blocking socket fd read by one thread and written
 * by several (the request thread and its stream writers) under a lock.
 *
 * <p>Lifetime: any thread may {@link #shutdown()} (it wakes blocked recv and
 * send calls); only the owner {@link #close()}s, after the other threads have
 * stopped, so that the fd number is never reused under a thread still using it.
 */
final class UnixStream implements AutoCloseable {
    private static final int SEND_BUFFER = 64 * 1024;

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment sendBuffer = arena.allocate(SEND_BUFFER);
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object state = new Object();
    private boolean shut;
    private boolean closed;

    UnixStream(int fd) {
        this.fd = fd;
    }

    int fd() {
        return fd;
    }

    /**
     * Receives into {@code buf}; returns the byte count, or 0 at end of stream
     * (peer closed, or this stream was shut down).
     */
    int read(MemorySegment buf) throws IOException {
        Libc.CallState errno = Libc.CallState.current();
        while (true) {
            long n = Libc.recv(errno, fd, buf, buf.byteSize(), 0);
            if (n >= 0) {
                return (int) n;
            }
            int err = errno.value();
            if (err == Errno.EINTR) {
                continue;
            }
            if (err == Errno.ECONNRESET) {
                return 0;
            }
            throw new IOException("control: recv failed on fd=" + fd + ": " + Errno.describe(err));
        }
    }

    /**
     * Writes the concatenation of {@code parts} as one unit: lines written by
     * different threads never interleave. Blocks while the peer does not read;
     * fails with {@link IOException} once the peer is gone or the stream is shut.
     */
    void write(byte[]... parts) throws IOException {
        writeLock.lock();
        try {
            int filled = 0;
            for (byte[] part : parts) {
                int offset = 0;
                while (offset < part.length) {
                    int n = Math.min(part.length - offset, SEND_BUFFER - filled);
                    MemorySegment.copy(part, offset, sendBuffer, JAVA_BYTE, filled, n);
                    filled += n;
                    offset += n;
                    if (filled == SEND_BUFFER) {
                        sendFully(filled, 0);
                        filled = 0;
                    }
                }
            }
            if (filled > 0) {
                sendFully(filled, 0);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Sends {@code line} without ever blocking: for a peer that gets one line
     * and is closed (a refused connection). Returns false when it did not fit.
     */
    boolean trySend(byte[] line) {
        writeLock.lock();
        try {
            MemorySegment.copy(line, 0, sendBuffer, JAVA_BYTE, 0, Math.min(line.length, SEND_BUFFER));
            long n = Libc.send(Libc.CallState.current(), fd, sendBuffer, Math.min(line.length, SEND_BUFFER),
                    Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
            return n == line.length;
        } finally {
            writeLock.unlock();
        }
    }

    /** Reads and drops whatever the peer already sent, without blocking (before closing a refused peer). */
    void drainNonBlocking(int maxBytes) {
        long total = 0;
        while (total < maxBytes) {
            long n = Libc.recv(Libc.CallState.current(), fd, sendBuffer, SEND_BUFFER, Libc.MSG_DONTWAIT);
            if (n <= 0) {
                return;
            }
            total += n;
        }
    }

    private void sendFully(int length, int from) throws IOException {
        Libc.CallState errno = Libc.CallState.current();
        long offset = from;
        while (offset < length) {
            long n = Libc.send(errno, fd, sendBuffer.asSlice(offset), length - offset, Libc.MSG_NOSIGNAL);
            if (n >= 0) {
                offset += n;
                continue;
            }
            int err = errno.value();
            if (err == Errno.EINTR) {
                continue;
            }
            throw new IOException("control: send failed on fd=" + fd + ": " + Errno.describe(err));
        }
    }

    /** Half-closes our side: the peer reads what was sent, then end of stream. */
    void shutdownOutput() {
        synchronized (state) {
            if (!closed) {
                Libc.shutdown(Libc.CallState.current(), fd, Libc.SHUT_WR);
            }
        }
    }

    /** Wakes every thread blocked on this socket; reads return 0, writes fail. Idempotent. */
    void shutdown() {
        synchronized (state) {
            if (!shut && !closed) {
                shut = true;
                Libc.shutdown(Libc.CallState.current(), fd, Libc.SHUT_RDWR);
            }
        }
    }

    /** Closes the fd; call only when no other thread uses this stream any more. */
    @Override
    public void close() {
        synchronized (state) {
            if (closed) {
                return;
            }
            closed = true;
            Libc.close(Libc.CallState.current(), fd);
        }
        arena.close();
    }
}
