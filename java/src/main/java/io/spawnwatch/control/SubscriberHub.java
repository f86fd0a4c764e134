package io.spawnwatch.control;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Fans the sensor's alerts and events out to socket subscribers
 * ({@code spawnwatch alerts} / {@code events}), and keeps short histories for
 * {@code alerts --since} and {@code events} without {@code --follow}.
 *
 * <p>The daemon calls {@link #publishAlert} and {@link #publishEvent} from its
 * hot path with one complete ECS JSON document each (a trailing newline is
 * allowed). The array is kept, not copied: do not modify it afterwards. Both
 * calls return promptly whatever the subscribers do: each subscriber has a
 * bounded lock-free queue; a full queue counts a drop for that subscriber
 * only. Nothing is allocated per call.
 *
 * <ul>
 * <li>{@code publishEvent} is lock-free: a volatile read of the subscriber
 *     array, one store into the recent-events ring, one queue offer per
 *     subscriber.
 * <li>{@code publishAlert} also appends to the alert history under a lock that
 *     only alert subscription set-up shares (to give a replay with neither gap
 *     nor duplicate): a bounded copy of at most {@code alertHistory}
 *     references, never any I/O. Alerts are rare next to events.
 * </ul>
 */
public final class SubscriberHub {
    /**
     * @param queueCapacity per-subscriber queue, in documents
     * @param alertHistory alerts kept for {@code alerts --since}
     * @param eventHistory events kept for {@code events} without {@code --follow}
     */
    public record Options(int queueCapacity, int alertHistory, int eventHistory) {
        public Options {
            if (queueCapacity < 2 || alertHistory < 1 || eventHistory < 1) {
                throw new IllegalArgumentException("hub options must be positive: queueCapacity=" + queueCapacity
                        + " alertHistory=" + alertHistory + " eventHistory=" + eventHistory);
            }
        }

        public static Options defaults() {
            return new Options(4096, 1000, 256);
        }
    }

    /** A subscriber as {@code stats} shows it. */
    public record SubscriberStats(long id, String kind, String owner, long delivered, long dropped, int queued,
            int capacity) {}

    private static final Subscription[] NONE = new Subscription[0];

    private final Options options;
    private final LongSupplier clock;
    private final AtomicLong ids = new AtomicLong();

    private volatile Subscription[] alertSubscribers = NONE;
    private volatile Subscription[] eventSubscribers = NONE;
    private final Object subscribersLock = new Object();

    // Alert history: a ring of (time, document), guarded by alertLock.
    private final ReentrantLock alertLock = new ReentrantLock();
    private final long[] alertTimes;
    private final byte[][] alertDocs;
    private long alertCount;
    private final AtomicLong alertsPublished = new AtomicLong();

    // Event history: lock-free, best effort for readers.
    private final AtomicReferenceArray<byte[]> recentEvents;
    private final AtomicLong eventCount = new AtomicLong();

    // Drops of subscribers that have gone, so that totals never go down.
    private final AtomicLong droppedByGone = new AtomicLong();

    public SubscriberHub(Options options) {
        this(options, System::currentTimeMillis);
    }

    /** With a clock in epoch milliseconds (tests). */
    public SubscriberHub(Options options, LongSupplier clock) {
        this.options = options;
        this.clock = clock;
        this.alertTimes = new long[options.alertHistory()];
        this.alertDocs = new byte[options.alertHistory()][];
        this.recentEvents = new AtomicReferenceArray<>(options.eventHistory());
    }

    public Options options() {
        return options;
    }

    /** Hot path: records an alert and offers it to every alert subscriber. */
    public void publishAlert(byte[] ecsJson) {
        alertLock.lock();
        try {
            int slot = (int) (alertCount % alertDocs.length);
            alertTimes[slot] = clock.getAsLong();
            alertDocs[slot] = ecsJson;
            alertCount++;
            Subscription[] subs = alertSubscribers;
            for (int i = 0; i < subs.length; i++) {
                subs[i].offer(ecsJson);
            }
        } finally {
            alertLock.unlock();
        }
        alertsPublished.incrementAndGet();
    }

    /** Hot path: records an event in the recent ring and offers it to every event subscriber. */
    public void publishEvent(byte[] ecsJson) {
        long n = eventCount.getAndIncrement();
        recentEvents.setRelease((int) (n % recentEvents.length()), ecsJson);
        Subscription[] subs = eventSubscribers;
        for (int i = 0; i < subs.length; i++) {
            subs[i].offer(ecsJson);
        }
    }

    /** Whether anyone follows events now (the daemon may skip building documents nobody reads). */
    public boolean hasEventSubscribers() {
        return eventSubscribers.length > 0;
    }

    /**
     * Subscribes to alerts. With {@code sinceMillis >= 0} the subscription's
     * replay holds every recorded alert published at or after that time, and
     * its queue every alert published after it: no gap, no duplicate.
     */
    public Subscription subscribeAlerts(long sinceMillis, String owner) {
        alertLock.lock();
        try {
            List<byte[]> replay = sinceMillis >= 0 ? alertsSince(sinceMillis) : List.of();
            Subscription s = new Subscription(ids.incrementAndGet(), Subscription.Kind.ALERTS, owner,
                    options.queueCapacity(), replay);
            synchronized (subscribersLock) {
                alertSubscribers = append(alertSubscribers, s);
            }
            return s;
        } finally {
            alertLock.unlock();
        }
    }

    /** Every recorded alert published at or after {@code sinceMillis}, oldest first. */
    public List<byte[]> recentAlerts(long sinceMillis) {
        alertLock.lock();
        try {
            return alertsSince(sinceMillis);
        } finally {
            alertLock.unlock();
        }
    }

    /** The hub's clock, epoch milliseconds. */
    public long now() {
        return clock.getAsLong();
    }

    /** Subscribes to events from now on. */
    public Subscription subscribeEvents(String owner) {
        Subscription s = new Subscription(ids.incrementAndGet(), Subscription.Kind.EVENTS, owner,
                options.queueCapacity(), List.of());
        synchronized (subscribersLock) {
            eventSubscribers = append(eventSubscribers, s);
        }
        return s;
    }

    /** The most recent events, oldest first, at most {@code limit}: best effort while events arrive. */
    public List<byte[]> recentEvents(int limit) {
        long end = eventCount.get();
        long start = Math.max(0, Math.max(end - recentEvents.length(), end - limit));
        List<byte[]> out = new ArrayList<>();
        for (long i = start; i < end; i++) {
            byte[] d = recentEvents.getAcquire((int) (i % recentEvents.length()));
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    /** Ends a subscription and removes it from the fan-out. */
    public void unsubscribe(Subscription s) {
        s.close();
        boolean removed;
        synchronized (subscribersLock) {
            Subscription[] before = s.kind() == Subscription.Kind.ALERTS ? alertSubscribers : eventSubscribers;
            Subscription[] after = remove(before, s);
            removed = after != before;
            if (s.kind() == Subscription.Kind.ALERTS) {
                alertSubscribers = after;
            } else {
                eventSubscribers = after;
            }
        }
        if (removed) {
            droppedByGone.addAndGet(s.dropped());
        }
    }

    /** Every current subscriber. */
    public List<SubscriberStats> subscribers() {
        List<SubscriberStats> out = new ArrayList<>();
        for (Subscription[] subs : List.of(alertSubscribers, eventSubscribers)) {
            for (Subscription s : subs) {
                out.add(new SubscriberStats(s.id(), s.kind().wire(), s.owner(), s.delivered(), s.dropped(),
                        s.queued(), s.capacity()));
            }
        }
        return out;
    }

    /** Documents dropped for slow subscribers since start, current and gone. */
    public long droppedTotal() {
        long total = droppedByGone.get();
        for (Subscription[] subs : List.of(alertSubscribers, eventSubscribers)) {
            for (Subscription s : subs) {
                total += s.dropped();
            }
        }
        return total;
    }

    /** Alerts published since start. */
    public long alertsPublished() {
        return alertsPublished.get();
    }

    /** Events published since start. */
    public long eventsPublished() {
        return eventCount.get();
    }

    private List<byte[]> alertsSince(long sinceMillis) {
        List<byte[]> out = new ArrayList<>();
        for (long i = Math.max(0, alertCount - alertDocs.length); i < alertCount; i++) {
            int slot = (int) (i % alertDocs.length);
            if (alertTimes[slot] >= sinceMillis) {
                out.add(alertDocs[slot]);
            }
        }
        return out;
    }

    private static Subscription[] append(Subscription[] subs, Subscription s) {
        Subscription[] out = Arrays.copyOf(subs, subs.length + 1);
        out[subs.length] = s;
        return out;
    }

    private static Subscription[] remove(Subscription[] subs, Subscription s) {
        for (int i = 0; i < subs.length; i++) {
            if (subs[i] == s) {
                Subscription[] out = new Subscription[subs.length - 1];
                System.arraycopy(subs, 0, out, 0, i);
                System.arraycopy(subs, i + 1, out, i, subs.length - i - 1);
                return out;
            }
        }
        return subs;
    }
}
