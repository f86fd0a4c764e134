package io.spawnwatch.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SubscriberHubTest {
    private static final byte[] DOC = "{\"a\":1}".getBytes();

    @Test
    void shouldRoundTheQueueUpToAPowerOfTwoAndRefuseWhenFull() {
        BoundedQueue q = new BoundedQueue(3);
        assertEquals(4, q.capacity());
        for (int i = 0; i < 4; i++) {
            assertTrue(q.offer(new byte[] {(byte) i}));
        }
        assertFalse(q.offer(new byte[] {9}));
        assertEquals(4, q.size());
        assertEquals(0, q.poll()[0]);
        assertTrue(q.offer(new byte[] {4}));
        for (int i = 1; i <= 4; i++) {
            assertEquals(i, q.poll()[0]);
        }
        assertNull(q.poll());
        assertEquals(0, q.size());
    }

    @Test
    void shouldRejectAQueueCapacityBelowTwo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BoundedQueue(1));
        assertEquals("queue capacity=1 must be 2 to 16777216", e.getMessage());
    }

    @Test
    void shouldHandEveryItemFromManyProducersToOneConsumerExactlyOnce() throws Exception {
        BoundedQueue q = new BoundedQueue(128);
        int producers = 4;
        int each = 50_000;
        AtomicLong refused = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    byte[] item = {(byte) id, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
                    while (!q.offer(item)) {
                        refused.incrementAndGet();
                        Thread.onSpinWait();
                    }
                }
            }));
        }
        int[] next = new int[producers];
        int received = 0;
        while (received < producers * each) {
            byte[] item = q.poll();
            if (item == null) {
                Thread.onSpinWait();
                continue;
            }
            int producer = item[0];
            int seq = ((item[1] & 0xff) << 16) | ((item[2] & 0xff) << 8) | (item[3] & 0xff);
            assertEquals(next[producer], seq, "per-producer order");
            next[producer]++;
            received++;
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(q.poll());
    }

    @Test
    void shouldCountDropsPerSubscriberAndNeverBlockThePublisher() {
        SubscriberHub hub = new SubscriberHub(new SubscriberHub.Options(4, 10, 10));
        Subscription slow = hub.subscribeEvents("uid=0 pid=1");
        Subscription other = hub.subscribeEvents("uid=0 pid=2");
        for (int i = 0; i < 10; i++) {
            hub.publishEvent(DOC);
        }
        assertEquals(6, slow.dropped());
        assertEquals(4, slow.queued());
        assertSame(DOC, other.poll(), "documents are handed on, not copied");
        assertEquals(1, other.delivered());
        assertEquals(12, hub.droppedTotal());
        hub.unsubscribe(slow);
        hub.unsubscribe(other);
        assertEquals(12, hub.droppedTotal(), "drops of gone subscribers still count");
        assertFalse(hub.hasEventSubscribers());
        assertEquals(List.of(), hub.subscribers());
    }

    @Test
    void shouldPublishWithoutAllocating() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SubscriberHub hub = new SubscriberHub(new SubscriberHub.Options(1024, 100, 100));
        Subscription a = hub.subscribeEvents("a");
        Subscription b = hub.subscribeAlerts(-1, "b");
        for (int i = 0; i < 200_000; i++) { // warm up, and fill both queues: the drop path is measured too
            hub.publishEvent(DOC);
            hub.publishAlert(DOC);
        }
        long tid = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            hub.publishEvent(DOC);
            hub.publishAlert(DOC);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        // One object per publish would be >= 16 bytes x 200000 = 3.2 MB; the JIT and the measurement itself
        // may allocate a few hundred bytes once.
        assertTrue(allocated < 4096, "bytes allocated by 200000 publishes: " + allocated);
        assertTrue(a.dropped() > 0 && b.dropped() > 0);
    }

    @Test
    void shouldReplayAlertsAtOrAfterTheGivenTimeOldestFirst() {
        AtomicLong now = new AtomicLong(1000);
        SubscriberHub hub = new SubscriberHub(new SubscriberHub.Options(8, 3, 8), now::get);
        byte[][] docs = new byte[5][];
        for (int i = 0; i < 5; i++) {
            docs[i] = new byte[] {(byte) i};
            now.set(1000 + i * 10L);
            hub.publishAlert(docs[i]);
        }
        assertEquals(List.of(docs[2], docs[3], docs[4]), hub.recentAlerts(0), "the history keeps the last 3");
        assertEquals(List.of(docs[3], docs[4]), hub.recentAlerts(1030));
        Subscription s = hub.subscribeAlerts(1040, "x");
        assertEquals(List.of(docs[4]), s.replay());
        assertEquals(List.of(), hub.subscribeAlerts(-1, "y").replay());
        assertEquals(5, hub.alertsPublished());
    }

    @Test
    void shouldKeepTheMostRecentEvents() {
        SubscriberHub hub = new SubscriberHub(new SubscriberHub.Options(8, 8, 4));
        Set<byte[]> published = new HashSet<>();
        byte[][] docs = new byte[6][];
        for (int i = 0; i < 6; i++) {
            docs[i] = new byte[] {(byte) i};
            published.add(docs[i]);
            hub.publishEvent(docs[i]);
        }
        assertEquals(List.of(docs[2], docs[3], docs[4], docs[5]), hub.recentEvents(10));
        assertEquals(List.of(docs[4], docs[5]), hub.recentEvents(2));
        assertEquals(List.of(), hub.recentEvents(0));
        assertEquals(6, hub.eventsPublished());
    }

    @Test
    void shouldWakeAParkedConsumerWhenADocumentArrives() throws Exception {
        SubscriberHub hub = new SubscriberHub(SubscriberHub.Options.defaults());
        Subscription s = hub.subscribeEvents("x");
        long[] waitedMillis = new long[1];
        Thread consumer = Thread.ofPlatform().start(() -> {
            long t0 = System.nanoTime();
            while (s.poll() == null) {
                s.await(60_000);
            }
            waitedMillis[0] = (System.nanoTime() - t0) / 1_000_000;
        });
        Thread.sleep(100);
        hub.publishEvent(DOC);
        consumer.join(5000);
        assertFalse(consumer.isAlive());
        assertTrue(waitedMillis[0] < 5000, "woken by the publisher, not by the park timeout: " + waitedMillis[0]);
    }
}
