package io.spawnwatch.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.sys.DoubleMappedRing;
import io.spawnwatch.sys.EventFd;
import io.spawnwatch.sys.NativeException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poller over a test ring. An eventfd stands in for the map fd: the test
 * producer signals it after submitting, as the kernel's commit wakes the map's
 * waiters. The long timeout means only a wake-up (or close) delivers records.
 */
class RingPollerTest {
    private static final int NO_TIMEOUT_IN_TEST = 60_000;

    private DoubleMappedRing memory;
    private TestProducer producer;
    private RingBuffer ring;
    private EventFd notify;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<RuntimeException> errors = new CopyOnWriteArrayList<>();

    @BeforeEach
    void mapRing() throws NativeException {
        memory = new DoubleMappedRing(4096);
        producer = new TestProducer(memory);
        ring = RingBuffer.overSegments(memory.consumerPage(), memory.producerPage(), memory.data());
        notify = new EventFd("test");
    }

    @AfterEach
    void unmapRing() throws NativeException {
        notify.close();
        ring.close();
        memory.close();
    }

    @Test
    void shouldHandRecordsOverWhenTheNotifyFdWakesIt() throws Exception {
        CountDownLatch three = new CountDownLatch(3);
        try (RingPoller poller = start(counting(three, recording()))) {
            submitAndWake("one", "two", "three");

            assertTrue(three.await(5, TimeUnit.SECONDS), "received=" + received);
            assertEquals(List.of("one", "two", "three"), received);
            awaitStats(poller, stats -> stats.deliveredRecords() == 3);
        }
    }

    @Test
    void shouldCountAHandlerErrorPassItOnAndKeepReading() throws Exception {
        IllegalArgumentException failure = new IllegalArgumentException("cannot decode");
        CountDownLatch three = new CountDownLatch(3);
        RecordHandler failing = (data, offset, length) -> {
            recording().onRecord(data, offset, length);
            if (length == 3) {
                throw failure;
            }
        };
        try (RingPoller poller = start(counting(three, failing))) {
            submitAndWake("ok", "bad", "fine");

            assertTrue(three.await(5, TimeUnit.SECONDS), "received=" + received);
            awaitStats(poller, stats -> stats.handlerErrors() == 1);
            assertEquals(List.of("ok", "bad", "fine"), received);
            assertEquals(1, errors.size());
            assertSame(failure, errors.getFirst());
            assertTrue(poller.isRunning());
        }
    }

    @Test
    void shouldDeliverRecordsCommittedBeforeCloseEvenWithoutAWakeUp() throws NativeException {
        RingPoller poller = start(recording());
        producer.submit(bytes("last words"));

        poller.close();

        assertEquals(List.of("last words"), received);
        assertFalse(poller.isRunning());
    }

    @Test
    void shouldStopPromptlyOnCloseWhileWaiting() throws NativeException {
        RingPoller poller = start(recording());
        long start = System.nanoTime();

        poller.close();
        poller.close();

        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "close must not wait for the timeout");
        assertFalse(poller.isRunning());
        assertEquals(null, poller.failure());
    }

    @Test
    void shouldStopAndKeepTheFailureWhenTheHandlerThrowsAnError() throws Exception {
        AssertionError fatal = new AssertionError("broken handler");
        RingPoller poller = start((data, offset, length) -> {
            throw fatal;
        });
        submitAndWake("x");

        awaitStopped(poller);

        assertSame(fatal, poller.failure());
        assertEquals(producer.producerPosition(), ring.consumerPosition());
        poller.close();
    }

    @Test
    void shouldCountDiscardsAndInvalidRecordsInStats() throws Exception {
        try (RingPoller poller = start(recording())) {
            producer.discard(producer.reserve(4));
            producer.submitCorrupt(5000, 8);
            notify.signal();
            awaitStats(poller, stats -> stats.invalidRecords() == 1);

            submitAndWake("kept");
            awaitStats(poller, stats -> stats.deliveredRecords() == 1);

            // One snapshot: the poller may wake again between two calls of stats().
            RingStats stats = poller.stats();
            assertEquals(new RingStats(1, 1, 0, 1, 16, stats.wakeups()), stats);
            assertEquals(List.of("kept"), received);
        }
    }

    @Test
    void shouldRequireANotifyFdForARingOverSegments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RingPoller.start(ring, recording(), errors::add));

        assertEquals("ring: no map fd to wait on, pass a notifyFd: ring=segments", e.getMessage());
    }

    private RingPoller start(RecordHandler handler) throws NativeException {
        return RingPoller.start(ring, notify.fd(), drainingNotify(handler), errors::add, 2, NO_TIMEOUT_IN_TEST);
    }

    /**
     * A map fd stops being readable once the ring is consumed; an eventfd stays
     * readable until read, so the handler reads it, or the poller would spin.
     */
    private RecordHandler drainingNotify(RecordHandler handler) {
        return (data, offset, length) -> {
            try {
                notify.drain();
            } catch (NativeException e) {
                throw new IllegalStateException(e);
            }
            handler.onRecord(data, offset, length);
        };
    }

    private RecordHandler recording() {
        return (MemorySegment data, long offset, int length) -> received.add(
                new String(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
    }

    private static RecordHandler counting(CountDownLatch latch, RecordHandler handler) {
        return (data, offset, length) -> {
            try {
                handler.onRecord(data, offset, length);
            } finally {
                latch.countDown();
            }
        };
    }

    private void submitAndWake(String... texts) throws NativeException {
        for (String text : texts) {
            producer.submit(bytes(text));
        }
        notify.signal();
    }

    /** Counters are published after the handler returns, so wait for them rather than for a latch. */
    private static void awaitStats(RingPoller poller, Predicate<RingStats> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.test(poller.stats()) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(condition.test(poller.stats()), "stats=" + poller.stats());
    }

    private static void awaitStopped(RingPoller poller) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (poller.isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertFalse(poller.isRunning());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
