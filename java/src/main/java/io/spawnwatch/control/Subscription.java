package io.spawnwatch.control;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One subscriber's view of the alert or event stream: a bounded queue the
 * sensor offers to, and the drop count of this subscriber alone.
 *
 * <p>Producers (sensor threads) call {@link #offer}: never blocks; a full queue
 * counts a drop. The consumer (the subscriber's writer thread) calls
 * {@link #poll} and {@link #await}; only it parks, and a producer unparks it
 * when it finds it waiting. The two volatile accesses (item published, then
 * {@code waiting} read by the producer; {@code waiting} written, then the queue
 * re-checked by the consumer) make a lost wake-up impossible; the park timeout
 * is only a backstop.
 */
public final class Subscription {
    /** alerts or events. */
    public enum Kind {
        ALERTS, EVENTS;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final long id;
    private final Kind kind;
    private final String owner;
    private final BoundedQueue queue;
    private final List<byte[]> replay;
    private final AtomicLong dropped = new AtomicLong();
    private volatile long delivered;
    private volatile Thread consumer;
    private volatile boolean waiting;
    private volatile boolean closed;

    Subscription(long id, Kind kind, String owner, int capacity, List<byte[]> replay) {
        this.id = id;
        this.kind = kind;
        this.owner = owner;
        this.queue = new BoundedQueue(capacity);
        this.replay = replay;
    }

    public long id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    /** Who subscribed, e.g. "uid=0 pid=4242". */
    public String owner() {
        return owner;
    }

    /** Documents recorded before the subscription (alerts --since); taken once by the consumer. */
    List<byte[]> replay() {
        return replay;
    }

    /** Documents dropped for this subscriber because its queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Documents the consumer has taken from the queue. */
    public long delivered() {
        return delivered;
    }

    /** Documents waiting in the queue. */
    public int queued() {
        return queue.size();
    }

    public int capacity() {
        return queue.capacity();
    }

    /** Sensor side: queue or drop, never block. */
    void offer(byte[] document) {
        if (!queue.offer(document)) {
            dropped.incrementAndGet();
            return;
        }
        if (waiting) {
            Thread c = consumer;
            if (c != null) {
                LockSupport.unpark(c);
            }
        }
    }

    /** Consumer side: the next document or null. */
    byte[] poll() {
        byte[] d = queue.poll();
        if (d != null) {
            delivered = delivered + 1; // single writer: the consumer thread
        }
        return d;
    }

    /** Consumer side: parks until a document arrives, the subscription closes, or the timeout passes. */
    void await(long timeoutMillis) {
        consumer = Thread.currentThread();
        waiting = true;
        try {
            if (queue.size() == 0 && !closed) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            }
        } finally {
            waiting = false;
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Ends the subscription: the consumer wakes and stops. */
    void close() {
        closed = true;
        Thread c = consumer;
        if (c != null) {
            LockSupport.unpark(c);
        }
    }
}
