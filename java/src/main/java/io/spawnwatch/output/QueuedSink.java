package io.spawnwatch.output;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sink behind a bounded queue with its own platform writer thread: {@link #offer} only enqueues (or drops and
 * counts when the queue is full), so a slow or broken output never slows the ring reader. Subclasses implement
 * {@link #write} (one whole document) and, when they buffer, {@link #flush} (called when the queue runs empty).
 *
 * <p>Every document ends up in exactly one counter of {@link SinkStats}: written, dropped (queue full, or left
 * when {@link #close} gave up) or errors (write threw). Write errors are logged, rate-limited: the first at once,
 * then at most one line per {@link #ERROR_LOG_INTERVAL_NANOS} with the number of failures in between, and one
 * line when writing works again.
 */
public abstract class QueuedSink implements Sink {
    private static final System.Logger LOG = System.getLogger(QueuedSink.class.getName());

    /** At most one error line per sink per 10 s while failures go on (a full disk fails every document). */
    static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long {@link #close} waits for the queue to drain: a stop must not hang on a stuck output. */
    static final long DEFAULT_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** Queued by close() behind the last document: the writer stops when it takes it. */
    private static final Document END = new Document(DocumentKind.EVENT, new byte[0], 0, 0, 0);

    private final String name;
    private final ArrayBlockingQueue<Document> queue;
    private final Thread writer;
    private final long drainNanos;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean abandoned; // close() stopped waiting: the writer takes nothing more

    // Writer-thread state.
    private boolean dirty;
    private long failureStartErrors = -1; // errors when the current run of failures began, -1 when writing works
    private long lastErrorLogNanos;
    private long unloggedErrors;

    /**
     * @param name     {@link #name()}, also the writer thread's name suffix
     * @param capacity documents the queue holds (at least 1); more are dropped and counted
     */
    protected QueuedSink(String name, int capacity) {
        this(name, capacity, DEFAULT_DRAIN_NANOS);
    }

    /** As {@link #QueuedSink(String, int)}, with the time {@link #close} waits for the queue to drain, in ns. */
    protected QueuedSink(String name, int capacity, long drainNanos) {
        if (capacity < 1) {
            throw new IllegalArgumentException("sink " + name + ": capacity=" + capacity + ", expected at least 1");
        }
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.drainNanos = drainNanos;
        // The thread takes nothing before the first offer(), which can only follow construction.
        this.writer = Thread.ofPlatform().name("spawnwatch-sink-" + name).daemon(true).start(this::run);
    }

    /** Writes one document whole, or throws; called on the writer thread only, in offer order. */
    protected abstract void write(Document d) throws IOException;

    /** Pushes out what {@link #write} buffered; called on the writer thread when the queue runs empty. */
    protected void flush() throws IOException {}

    /** Releases the output (closes a file); called once, after the writer thread stopped or gave up. */
    protected void closeOutput() throws IOException {}

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void offer(Document document) {
        offered.incrementAndGet();
        if (closed || !queue.offer(document)) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public final SinkStats stats() {
        return new SinkStats(offered.get(), written.get(), dropped.get(), errors.get(), queue.size());
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + drainNanos;
        try {
            boolean queued = queue.offer(END, drainNanos, TimeUnit.NANOSECONDS);
            long left = deadline - System.nanoTime();
            if (!queued || !writer.join(java.time.Duration.ofNanos(Math.max(left, 1)))) {
                abandoned = true;
                writer.interrupt(); // a write stuck on a pipe nobody reads, or a queue that would not drain
                writer.join(java.time.Duration.ofMillis(500));
            }
        } catch (InterruptedException e) {
            abandoned = true;
            writer.interrupt();
            Thread.currentThread().interrupt();
        }
        int left = 0;
        for (Document d; (d = queue.poll()) != null; ) {
            if (d != END) {
                left++;
            }
        }
        if (left > 0) {
            dropped.addAndGet(left);
            LOG.log(System.Logger.Level.WARNING, name + ": stopped with " + left
                    + " documents unwritten after waiting " + drainNanos / 1_000_000 + " ms; counted as dropped");
        }
        try {
            closeOutput();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, name + ": closing the output failed: " + e.getMessage());
        }
    }

    private void run() {
        try {
            while (!abandoned) {
                Document d = queue.poll();
                if (d == null) {
                    if (dirty) {
                        dirty = false;
                        flushCounted();
                    }
                    d = queue.take();
                }
                if (d == END) {
                    if (dirty) {
                        flushCounted();
                    }
                    return;
                }
                writeCounted(d);
            }
        } catch (InterruptedException e) {
            // close() gave up waiting; it counts what is left
        }
    }

    private void writeCounted(Document d) {
        try {
            write(d);
            dirty = true;
            written.incrementAndGet();
            recovered();
        } catch (IOException | RuntimeException e) {
            errors.incrementAndGet();
            failed("write failed", e);
        }
    }

    private void flushCounted() {
        try {
            flush();
        } catch (IOException | RuntimeException e) {
            errors.incrementAndGet(); // documents the subclass buffered are lost: at least one, counted
            failed("flush failed", e);
        }
    }

    private void failed(String what, Exception e) {
        long now = System.nanoTime();
        boolean first = failureStartErrors < 0;
        if (first) {
            failureStartErrors = errors.get() - 1;
        }
        if (first || now - lastErrorLogNanos >= ERROR_LOG_INTERVAL_NANOS) {
            String since = unloggedErrors == 0 ? "" : " (" + unloggedErrors + " more failures since the last message)";
            LOG.log(System.Logger.Level.WARNING, name + ": " + what + ": " + reason(e) + since
                    + "; failed documents are counted as errors, nothing is half-written; next message in 10 s"
                    + " at the earliest");
            lastErrorLogNanos = now;
            unloggedErrors = 0;
        } else {
            unloggedErrors++;
        }
    }

    private void recovered() {
        if (failureStartErrors >= 0) {
            LOG.log(System.Logger.Level.INFO, name + ": writing again after " + (errors.get() - failureStartErrors)
                    + " failed documents");
            failureStartErrors = -1;
            unloggedErrors = 0;
        }
    }

    private static String reason(Exception e) {
        if (e instanceof java.io.IOException ioe) {
            return io.spawnwatch.files.IoErrors.describe(ioe); // "no space left on device", not a class name
        }
        String m = e.getMessage();
        return m == null ? "an error without a message" : m;
    }
}
