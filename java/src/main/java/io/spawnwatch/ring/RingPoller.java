package io.spawnwatch.ring;

import io.spawnwatch.sys.Epoll;
import io.spawnwatch.sys.EventFd;
import io.spawnwatch.sys.NativeException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs a {@link RingBuffer} on its own platform thread: drains it, then sleeps
 * in {@code epoll_wait} on the map fd until the kernel signals new data (as
 * libbpf's {@code ring_buffer__poll}). An eventfd in the same epoll set wakes
 * the thread to stop.
 *
 * <p>A handler that throws a {@link RuntimeException} costs one record: the
 * exception is counted, passed to the error callback, and reading goes on. An
 * {@link Error} from the handler, or a failing {@code epoll_wait}, stops the
 * thread; it is logged and kept in {@link #failure()}.
 */
public final class RingPoller implements AutoCloseable {
    /** Records handed over per {@link RingBuffer#poll}, i.e. per consumer position store at most. */
    public static final int DEFAULT_BATCH_LIMIT = 256;
    /**
     * A safety net only: the kernel wakes us, but a BPF program that submits with
     * BPF_RB_NO_WAKEUP would otherwise leave records waiting until the next wake-up.
     */
    public static final int DEFAULT_TIMEOUT_MILLIS = 1000;

    private static final System.Logger LOG = System.getLogger(RingPoller.class.getName());
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final long RING_TOKEN = 1;
    private static final long STOP_TOKEN = 2;

    private final RingBuffer ring;
    private final RecordHandler handler;
    private final Consumer<? super RuntimeException> onHandlerError;
    private final int batchLimit;
    private final int timeoutMillis;
    private final Epoll epoll;
    private final EventFd stopSignal;
    private final Thread thread;

    private volatile boolean running = true;
    // Written by the poller thread only.
    private volatile long handlerErrors;
    private volatile long wakeups;
    private volatile Throwable failure;
    private boolean closed;

    private RingPoller(RingBuffer ring, int notifyFd, RecordHandler handler,
                       Consumer<? super RuntimeException> onHandlerError, int batchLimit, int timeoutMillis)
            throws NativeException {
        this.ring = ring;
        this.handler = handler;
        this.onHandlerError = onHandlerError;
        this.batchLimit = batchLimit;
        this.timeoutMillis = timeoutMillis;
        this.epoll = new Epoll("ring", 2);
        EventFd signal = null;
        try {
            signal = new EventFd("ring");
            epoll.add(notifyFd, Epoll.EPOLLIN, RING_TOKEN, ring.name());
            epoll.add(signal.fd(), Epoll.EPOLLIN, STOP_TOKEN, "stop eventfd fd=" + signal.fd());
        } catch (NativeException | RuntimeException e) {
            closeQuietly(signal, epoll);
            throw e;
        }
        this.stopSignal = signal;
        this.thread = Thread.ofPlatform().name("spawnwatch-ring-reader").daemon(true).unstarted(this::run);
    }

    /**
     * Starts reading {@code ring} (made by {@link RingBuffer#map}) with the
     * default batch limit and timeout, waking up on its map fd.
     */
    public static RingPoller start(RingBuffer ring, RecordHandler handler,
                                   Consumer<? super RuntimeException> onHandlerError) throws NativeException {
        if (ring.mapFd() < 0) {
            throw new IllegalArgumentException("ring: no map fd to wait on, pass a notifyFd: ring=" + ring.name());
        }
        return start(ring, ring.mapFd(), handler, onHandlerError, DEFAULT_BATCH_LIMIT, DEFAULT_TIMEOUT_MILLIS);
    }

    /**
     * Starts reading {@code ring}, waking up when {@code notifyFd} is readable
     * (the map fd, or any fd a test producer signals).
     *
     * @param batchLimit    records per {@link RingBuffer#poll} call
     * @param timeoutMillis longest sleep in epoll_wait before re-checking the ring
     */
    public static RingPoller start(RingBuffer ring, int notifyFd, RecordHandler handler,
                                   Consumer<? super RuntimeException> onHandlerError, int batchLimit,
                                   int timeoutMillis) throws NativeException {
        Objects.requireNonNull(ring, "ring");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(onHandlerError, "onHandlerError");
        if (batchLimit <= 0 || timeoutMillis < 0) {
            throw new IllegalArgumentException("ring: batchLimit must be positive and timeoutMillis not negative:"
                    + " batchLimit=" + batchLimit + " timeoutMillis=" + timeoutMillis);
        }
        RingPoller poller = new RingPoller(ring, notifyFd, handler, onHandlerError, batchLimit, timeoutMillis);
        poller.thread.start();
        return poller;
    }

    /** The counters of the ring and of this poller. */
    public RingStats stats() {
        return new RingStats(ring.deliveredRecords(), ring.discardedRecords(), handlerErrors,
                ring.invalidRecords(), ring.skippedBytes(), wakeups);
    }

    /** Records whose handler threw a RuntimeException (each one skipped). */
    public long handlerErrors() {
        return handlerErrors;
    }

    /** Why the thread stopped on its own, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Whether the thread is still reading. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /**
     * Stops the thread after a last drain of the records already committed, waits
     * for it, and closes the epoll fd and eventfd. The ring itself stays open:
     * close it afterwards. Must not be called from the handler.
     */
    @Override
    public void close() throws NativeException {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("ring: a poller cannot close itself from its handler");
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        running = false;
        if (thread.isAlive()) {
            stopSignal.signal();
        }
        if (!awaitThread()) {
            return;
        }
        try {
            epoll.close();
        } finally {
            stopSignal.close();
        }
    }

    private void run() {
        try {
            while (running) {
                drain(Long.MAX_VALUE);
                awaitWakeUp();
            }
            // One more pass so that records committed before the stop are handed over,
            // bounded by what a full ring can hold so a busy producer cannot keep us here.
            drain(ring.dataSize() / RingBufferDescriptor.HEADER_LENGTH / batchLimit + 1);
        } catch (Throwable t) {
            failure = t;
            LOG.log(Level.ERROR, "ring: reader thread stopped: ring=" + ring.name() + ": " + t, t);
        }
    }

    /** Polls until the ring is caught up (a short batch), a stop, or {@code maxPolls}. */
    private void drain(long maxPolls) {
        for (long polls = 0; polls < maxPolls; polls++) {
            try {
                if (ring.poll(handler, batchLimit) < batchLimit) {
                    return;
                }
            } catch (RuntimeException e) {
                handlerFailed(e);
            }
            if (!running && maxPolls == Long.MAX_VALUE) {
                return;
            }
        }
    }

    /**
     * The map fd is readable while producer_pos != consumer_pos (ringbuf_map_poll_kern),
     * so a record still BUSY at the head makes this return at once: a short spin
     * that lasts until the BPF program commits it, as with libbpf's ring_buffer__poll.
     */
    private void awaitWakeUp() throws NativeException {
        int ready = epoll.await(timeoutMillis);
        for (int i = 0; i < ready; i++) {
            if (epoll.token(i) == STOP_TOKEN) {
                stopSignal.drain();
            } else {
                wakeups++;
            }
        }
    }

    private void handlerFailed(RuntimeException e) {
        handlerErrors++;
        try {
            onHandlerError.accept(e);
        } catch (RuntimeException callbackFailure) {
            LOG.log(Level.WARNING, "ring: handler error callback threw: ring=" + ring.name(), callbackFailure);
        }
    }

    private boolean awaitThread() {
        try {
            if (thread.join(STOP_TIMEOUT)) {
                return true;
            }
            LOG.log(Level.ERROR, "ring: reader thread did not stop, leaving its fds open: ring=" + ring.name()
                    + " timeout=" + STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(Level.WARNING, "ring: interrupted waiting for the reader thread, leaving its fds open: ring="
                    + ring.name());
        }
        return false;
    }

    private static void closeQuietly(EventFd signal, Epoll epoll) {
        try (epoll; signal) {
            // try-with-resources closes both and keeps the first failure
        } catch (NativeException suppressed) {
            LOG.log(Level.WARNING, "ring: cleanup after a failed start: " + suppressed.getMessage());
        }
    }
}
