package io.spawnwatch.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.sys.DoubleMappedRing;
import io.spawnwatch.sys.NativeException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RingBufferTest {
    private static final long DATA_SIZE = 4096;

    private DoubleMappedRing memory;
    private TestProducer producer;
    private RingBuffer ring;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void mapRing() throws NativeException {
        memory = new DoubleMappedRing(DATA_SIZE);
        producer = new TestProducer(memory);
        ring = RingBuffer.overSegments(memory.consumerPage(), memory.producerPage(), memory.data());
    }

    @AfterEach
    void unmapRing() throws NativeException {
        ring.close();
        memory.close();
    }

    @Test
    void shouldDeliverASingleRecordWithItsPayloadOffsetAndLength() {
        producer.submit(bytes("hello"));

        assertEquals(1, ring.poll(recorder, 10));

        assertEquals(List.of("hello"), recorder.texts());
        assertEquals(List.of(8L), recorder.offsets);
        assertEquals(16, ring.consumerPosition());
        assertEquals(1, ring.deliveredRecords());
    }

    @Test
    void shouldReturnZeroAndNotMoveOnAnEmptyRing() {
        producer.startAt(64);

        assertEquals(0, ring.poll(recorder, 10));

        assertEquals(64, ring.consumerPosition());
        assertEquals(List.of(), recorder.texts());
    }

    @Test
    void shouldDeliverManyRecordsInOneBatchInOrder() {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sent.add("record-" + i);
            producer.submit(bytes("record-" + i));
        }

        assertEquals(100, ring.poll(recorder, 1000));

        assertEquals(sent, recorder.texts());
        assertEquals(producer.producerPosition(), ring.consumerPosition());
    }

    @Test
    void shouldDeliverARecordThatWrapsPastTheEndAsOneContiguousPayload() {
        producer.startAt(3 * DATA_SIZE - 16);
        byte[] payload = new byte[40];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i + 1);
        }

        producer.submit(payload);
        assertEquals(1, ring.poll(recorder, 10));

        assertEquals(List.of(DATA_SIZE - 8), recorder.offsets);
        assertArrayEquals(payload, recorder.payloads.getFirst());
        // The bytes past the end are the start of the data area: the double mapping is real.
        byte[] wrapped = memory.data().asSlice(0, 32).toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(java.util.Arrays.copyOfRange(payload, 8, 40), wrapped);
        assertEquals(3 * DATA_SIZE - 16 + 48, ring.consumerPosition());
    }

    @Test
    void shouldStopAtABusyRecordAndDeliverItOnceCommitted() {
        producer.submit(bytes("first"));
        long busy = producer.reserve(6);
        producer.write(busy, bytes("second"));
        producer.submit(bytes("third"));

        assertEquals(1, ring.poll(recorder, 10));
        assertEquals(busy, ring.consumerPosition());
        assertEquals(0, ring.poll(recorder, 10));

        producer.commit(busy);
        assertEquals(2, ring.poll(recorder, 10));

        assertEquals(List.of("first", "second", "third"), recorder.texts());
        assertEquals(producer.producerPosition(), ring.consumerPosition());
    }

    @Test
    void shouldSkipDiscardedRecordsAndAdvancePastThem() {
        producer.submit(bytes("kept-1"));
        long discarded = producer.reserve(20);
        producer.discard(discarded);
        producer.submit(bytes("kept-2"));

        assertEquals(2, ring.poll(recorder, 10));

        assertEquals(List.of("kept-1", "kept-2"), recorder.texts());
        assertEquals(1, ring.discardedRecords());
        assertEquals(producer.producerPosition(), ring.consumerPosition());
    }

    @Test
    void shouldAdvancePastADiscardedRecordEvenWhenNothingIsDelivered() {
        long discarded = producer.reserve(20);
        producer.discard(discarded);

        assertEquals(0, ring.poll(recorder, 10));

        assertEquals(32, ring.consumerPosition());
    }

    @Test
    void shouldSkipTheRecordWhoseHandlerThrowsAndContinueOnTheNextPoll() {
        producer.submit(bytes("a"));
        long throwing = producer.submit(bytes("boom"));
        long after = producer.submit(bytes("c"));
        IllegalStateException failure = new IllegalStateException("handler failed");
        RecordHandler handler = (data, offset, length) -> {
            recorder.onRecord(data, offset, length);
            if (length == 4) {
                throw failure;
            }
        };

        assertSame(failure, assertThrows(IllegalStateException.class, () -> ring.poll(handler, 10)));
        assertEquals(after, ring.consumerPosition());
        assertEquals(throwing + 16, after);

        assertEquals(1, ring.poll(handler, 10));
        assertEquals(List.of("a", "boom", "c"), recorder.texts());
        assertEquals(producer.producerPosition(), ring.consumerPosition());
    }

    @Test
    void shouldPublishTheConsumerPositionOncePerBatchNotPerRecord() {
        for (int i = 0; i < 5; i++) {
            producer.submit(bytes("r" + i));
        }
        List<Long> seenDuringBatch = new ArrayList<>();

        ring.poll((data, offset, length) -> seenDuringBatch.add(producer.consumerPosition()), 10);

        assertEquals(List.of(0L, 0L, 0L, 0L, 0L), seenDuringBatch);
        assertEquals(80, producer.consumerPosition());
    }

    @Test
    void shouldRecheckTheProducerAfterCatchingUpAndDeliverRecordsCommittedMeanwhile() {
        producer.submit(bytes("first"));
        List<Long> seen = new ArrayList<>();
        RecordHandler handler = (data, offset, length) -> {
            seen.add(producer.consumerPosition());
            if (seen.size() == 1) {
                producer.submit(bytes("late"));
            }
            recorder.onRecord(data, offset, length);
        };

        assertEquals(2, ring.poll(handler, 10));

        assertEquals(List.of("first", "late"), recorder.texts());
        // The second record is a second batch: the first one was published before it.
        assertEquals(List.of(0L, 16L), seen);
        assertEquals(32, ring.consumerPosition());
    }

    @Test
    void shouldDeliverAtMostLimitRecordsPerPoll() {
        for (int i = 0; i < 7; i++) {
            producer.submit(bytes("r" + i));
        }

        assertEquals(3, ring.poll(recorder, 3));
        assertEquals(48, ring.consumerPosition());
        assertEquals(3, ring.poll(recorder, 3));
        assertEquals(1, ring.poll(recorder, 3));

        assertEquals(List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6"), recorder.texts());
    }

    @Test
    void shouldAlignRecordsOfOddLengthsToEightBytes() {
        int[] lengths = {1, 7, 8, 9, 13, 0};
        for (int length : lengths) {
            producer.submit(new byte[length]);
        }

        assertEquals(6, ring.poll(recorder, 10));

        assertEquals(List.of(8L, 24L, 40L, 56L, 80L, 104L), recorder.offsets);
        assertEquals(List.of(1, 7, 8, 9, 13, 0), recorder.lengths);
        assertEquals(104, ring.consumerPosition());
    }

    @Test
    void shouldSkipToTheProducerAndCountWhenALengthExceedsTheDataArea() {
        producer.submit(bytes("before"));
        producer.submitCorrupt((int) DATA_SIZE, 8);
        producer.submit(bytes("lost"));

        assertEquals(1, ring.poll(recorder, 10));
        assertEquals(producer.producerPosition(), ring.consumerPosition());
        assertEquals(1, ring.invalidRecords());
        assertEquals(32, ring.skippedBytes());

        producer.submit(bytes("after"));
        assertEquals(1, ring.poll(recorder, 10));
        assertEquals(List.of("before", "after"), recorder.texts());
    }

    @Test
    void shouldSkipToTheProducerWhenARecordRunsPastTheProducerPosition() {
        producer.submitCorrupt(100, 8);

        assertEquals(0, ring.poll(recorder, 10));

        assertEquals(16, ring.consumerPosition());
        assertEquals(1, ring.invalidRecords());
    }

    @Test
    void shouldRejectADataAreaThatIsNotAPowerOfTwo() {
        MemorySegment page = java.lang.foreign.Arena.ofAuto().allocate(4096, 8);
        MemorySegment data = java.lang.foreign.Arena.ofAuto().allocate(2 * 3000, 8);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RingBuffer.overSegments(page, page, data));

        assertEquals("ring: data size must be a power of two of at least 8: dataSize=3000", e.getMessage());
    }

    @Test
    void shouldReportTheErrnoWhenTheMapFdIsInvalid() {
        NativeException e = assertThrows(NativeException.class, () -> RingBuffer.map(1_000_000, DATA_SIZE));

        assertEquals("ring: mmap consumer page of map fd=1000000: EBADF (Bad file descriptor)", e.getMessage());
        assertEquals("EBADF", e.errnoName());
    }

    @Test
    void shouldAllocateNothingPerRecord() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] sum = new long[1];
        RecordHandler handler = (data, offset, length) -> sum[0] += data.get(ValueLayout.JAVA_BYTE, offset) + length;
        byte[] payload = bytes("payload of 23 bytes....");
        for (int round = 0; round < 200; round++) {
            fillAndDrain(payload, handler);
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        int delivered = 0;
        for (int round = 0; round < 100; round++) {
            delivered += fillAndDrain(payload, handler);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(100 * 100, delivered);
        assertTrue(allocated < 1024, "allocatedBytes=" + allocated + " for records=" + delivered);
    }

    private int fillAndDrain(byte[] payload, RecordHandler handler) {
        for (int i = 0; i < 100; i++) {
            producer.submit(payload);
        }
        return ring.poll(handler, 1000);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Copies what it is handed; allocates, which is fine in a test. */
    static final class Recorder implements RecordHandler {
        final List<byte[]> payloads = new ArrayList<>();
        final List<Long> offsets = new ArrayList<>();
        final List<Integer> lengths = new ArrayList<>();

        @Override
        public void onRecord(MemorySegment data, long offset, int length) {
            payloads.add(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
            offsets.add(offset);
            lengths.add(length);
        }

        List<String> texts() {
            return payloads.stream().map(p -> new String(p, StandardCharsets.UTF_8)).toList();
        }
    }
}
