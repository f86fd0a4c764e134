package io.spawnwatch.ring;

import static io.spawnwatch.ring.RingBufferDescriptor.BUSY_BIT;
import static io.spawnwatch.ring.RingBufferDescriptor.DISCARD_BIT;
import static io.spawnwatch.ring.RingBufferDescriptor.HEADER_LENGTH;

import io.spawnwatch.sys.DoubleMappedRing;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Plays the kernel's part over a {@link DoubleMappedRing}, with the same
 * stores in the same order as kernel/bpf/ringbuf.c: reserve writes the BUSY
 * len word then release-stores producer_pos; commit exchanges the len word.
 */
final class TestProducer {
    private static final VarHandle POSITION = MethodHandles.insertCoordinates(
            ValueLayout.JAVA_LONG.varHandle(), 1, 0L);
    private static final VarHandle LEN_WORD = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;
    private final long mask;

    TestProducer(DoubleMappedRing memory) {
        this.consumerPage = memory.consumerPage();
        this.producerPage = memory.producerPage();
        this.data = memory.data();
        this.mask = data.byteSize() / 2 - 1;
    }

    /** Starts both positions at {@code position}, as a ring that has been running for a while. */
    void startAt(long position) {
        POSITION.setRelease(consumerPage, position);
        POSITION.setRelease(producerPage, position);
    }

    long producerPosition() {
        return (long) POSITION.getAcquire(producerPage);
    }

    long consumerPosition() {
        return (long) POSITION.getAcquire(consumerPage);
    }

    /** __bpf_ringbuf_reserve(): returns the record's position. */
    long reserve(int length) {
        long position = producerPosition();
        long header = position & mask;
        data.set(ValueLayout.JAVA_INT, header + 4, 0);
        LEN_WORD.set(data, header, length | BUSY_BIT);
        POSITION.setRelease(producerPage, position + RingBufferDescriptor.alignedRecordLength(length));
        return position;
    }

    /** Writes the payload of the record at {@code position}, past the end of the first copy if it wraps. */
    void write(long position, byte[] payload) {
        MemorySegment.copy(payload, 0, data, ValueLayout.JAVA_BYTE, (position & mask) + HEADER_LENGTH,
                payload.length);
    }

    /** bpf_ringbuf_submit(): clears BUSY with an exchange, a full barrier. */
    void commit(long position) {
        long header = position & mask;
        int lenWord = (int) LEN_WORD.getVolatile(data, header);
        LEN_WORD.getAndSet(data, header, lenWord ^ BUSY_BIT);
    }

    /** bpf_ringbuf_discard(). */
    void discard(long position) {
        long header = position & mask;
        int lenWord = (int) LEN_WORD.getVolatile(data, header);
        LEN_WORD.getAndSet(data, header, (lenWord ^ BUSY_BIT) | DISCARD_BIT);
    }

    /** bpf_ringbuf_output(): reserve, copy, commit. */
    long submit(byte[] payload) {
        long position = reserve(payload.length);
        write(position, payload);
        commit(position);
        return position;
    }

    /** Writes a committed len word that no kernel would write (for corruption tests). */
    long submitCorrupt(int lenWord, int reservedLength) {
        long position = reserve(reservedLength);
        LEN_WORD.setVolatile(data, position & mask, lenWord);
        return position;
    }
}
