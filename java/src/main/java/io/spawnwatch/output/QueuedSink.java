package io.spawnwatch.output;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Base class: a bounded queue, its own platform writer thread, drop and error
 * counters, rate-limited logging of write errors; subclasses implement write()
 * (and optionally flush(), called when the queue runs empty).
 *
 * <p>Interim implementation of the API issue 9 defines, so that the incident
 * store compiles against it; issue 9's version replaces it on merge.
 */
public abstract class QueuedSink implements Sink {
    private static final System.Logger LOG = System.getLogger(QueuedSink.class.getName());
    private static final long CLOSE_WAIT_MILLIS = 2000;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String name;
    private final ArrayBlockingQueue<Document> queue;
    private final Thread writer;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean closing;
    private long lastLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;

    protected QueuedSink(String name, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("sink " + name + ": capacity=" + capacity + " must be at least 1");
        }
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        // Started here: write() and flush() run only once a document was
        // offered, which is after the subclass's constructor has returned.
        this.writer = Thread.ofPlatform().name("spawnwatch-sink-" + name).daemon(true).start(this::run);
    }

    protected abstract void write(Document d) throws IOException;

    protected void flush() throws IOException {}

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void offer(Document document) {
        offered.incrementAndGet();
        if (closing || !queue.offer(document)) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public SinkStats stats() {
        return new SinkStats(offered.get(), written.get(), dropped.get(), errors.get(), queue.size());
    }

    private void run() {
        while (!closing || !queue.isEmpty()) {
            Document d;
            try {
                d = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (d == null) {
                continue;
            }
            try {
                write(d);
                written.incrementAndGet();
                if (queue.isEmpty()) {
                    flush();
                }
            } catch (IOException | RuntimeException e) {
                errors.incrementAndGet();
                logError(e);
            }
        }
    }

    private void logError(Exception e) {
        long now = System.nanoTime();
        if (now - lastLogNanos >= LOG_INTERVAL_NANOS) {
            lastLogNanos = now;
            LOG.log(System.Logger.Level.WARNING, "sink " + name + ": write failed (errors=" + errors.get()
                    + "): " + e);
        }
    }

    /** Stops taking documents, drains for a bounded time, then counts what is left as dropped. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
        }
        dropped.addAndGet(queue.size());
        queue.clear();
    }
}
