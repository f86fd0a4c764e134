package io.spawnwatch.ring;

import static io.spawnwatch.ring.RingBufferDescriptor.BUSY_BIT;
import static io.spawnwatch.ring.RingBufferDescriptor.DISCARD_BIT;
import static io.spawnwatch.ring.RingBufferDescriptor.HEADER_LENGTH;
import static io.spawnwatch.ring.RingBufferDescriptor.LENGTH_MASK;
import static io.spawnwatch.ring.RingBufferDescriptor.RECORD_ALIGNMENT;

import io.spawnwatch.sys.LibC;
import io.spawnwatch.sys.NativeException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * The consumer side of a BPF ring buffer, read over mmap: a Java mirror of
 * libbpf's {@code ringbuf_process_ring} (src/ringbuf.c), without a native
 * callback per record.
 *
 * <p>Single consumer: {@link #poll} must not run on two threads at once (the
 * kernel supports one consumer per ring). The counters may be read from any
 * thread. Close the ring only after its {@link RingPoller} has stopped.
 */
public final class RingBuffer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RingBuffer.class.getName());

    /** u64 at offset 0 of a segment; aligned, so acquire/release access is allowed. */
    private static final VarHandle POSITION = MethodHandles.insertCoordinates(
            ValueLayout.JAVA_LONG.varHandle(), 1, 0L).withInvokeExactBehavior();
    /** u32 len word at an offset of the data segment. */
    private static final VarHandle LEN_WORD = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;
    private final long dataSize;
    private final long mask;
    private final Arena arena;
    private final int mapFd;
    private final String name;

    // Written only by the polling thread, once per poll (or per rare event); read by anyone.
    private volatile long deliveredRecords;
    private volatile long discardedRecords;
    private volatile long invalidRecords;
    private volatile long skippedBytes;

    private RingBuffer(MemorySegment consumerPage, MemorySegment producerPage, MemorySegment data,
                       Arena arena, int mapFd, String name) {
        this.consumerPage = consumerPage;
        this.producerPage = producerPage.asReadOnly();
        this.data = data.asReadOnly();
        this.dataSize = data.byteSize() / 2;
        this.mask = dataSize - 1;
        this.arena = arena;
        this.mapFd = mapFd;
        this.name = name;
    }

    /**
     * Maps the ring buffer map {@code mapFd} as libbpf's {@code ring_buffer__add}
     * does: the consumer page read-write, the producer page and the twice-mapped
     * data read-only. {@code maxEntries} is the map's data size (a power of two,
     * a multiple of the page size), e.g. from {@code bpf_map__max_entries}.
     * The ring does not own {@code mapFd}; {@link #close} unmaps only.
     */
    public static RingBuffer map(int mapFd, long maxEntries) throws NativeException {
        RingBufferDescriptor.checkDataSize(maxEntries);
        long page = LibC.pageSize();
        if (maxEntries % page != 0) {
            throw new IllegalArgumentException("ring: data size must be a multiple of the page size: dataSize="
                    + maxEntries + " pageSize=" + page);
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment consumer = LibC.mmap(arena, page, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED,
                    mapFd, 0, "ring: mmap consumer page of map fd=" + mapFd);
            MemorySegment producer = LibC.mmap(arena, page + 2 * maxEntries, LibC.PROT_READ, LibC.MAP_SHARED,
                    mapFd, page, "ring: mmap producer pages of map fd=" + mapFd);
            return new RingBuffer(consumer, producer.asSlice(0, page), producer.asSlice(page, 2 * maxEntries),
                    arena, mapFd, "map fd=" + mapFd);
        } catch (NativeException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * A ring over memory the caller owns and keeps alive, for tests and
     * benchmarks that act as the producer. {@code data} must be the double-mapped
     * data area: {@code 2 * size} bytes whose halves are the same memory (or at
     * least hold the same bytes where records wrap). {@link #close} does nothing.
     */
    public static RingBuffer overSegments(MemorySegment consumerPage, MemorySegment producerPage,
                                          MemorySegment data) {
        if (consumerPage.isReadOnly()) {
            throw new IllegalArgumentException("ring: the consumer page must be writable");
        }
        if (data.byteSize() % 2 != 0) {
            throw new IllegalArgumentException("ring: data must be the double mapping, 2 * size bytes: byteSize="
                    + data.byteSize());
        }
        RingBufferDescriptor.checkDataSize(data.byteSize() / 2);
        return new RingBuffer(consumerPage, producerPage, data, null, -1, "segments");
    }

    /**
     * Hands up to {@code limit} committed records to {@code handler} and returns
     * how many it handed. Stops early at a record that is still BUSY, or when
     * the ring is empty after re-checking the producer position.
     *
     * <p>The consumer position is release-stored once per batch (the records
     * found below one producer position read), not per record; and in a
     * {@code finally}, so that when {@code handler} throws, the position still
     * moves past the throwing record (it is skipped, never redelivered) and the
     * exception propagates to the caller.
     */
    public int poll(RecordHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        if (limit <= 0) {
            throw new IllegalArgumentException("ring: poll limit must be positive: limit=" + limit);
        }
        final MemorySegment consumerPage = this.consumerPage;
        final MemorySegment producerPage = this.producerPage;
        final MemorySegment data = this.data;
        final long mask = this.mask;
        final long dataSize = this.dataSize;
        // We are the only writer of consumer_pos: this acquire pairs with our own
        // previous setRelease (possibly made on another thread).
        final long start = (long) POSITION.getAcquire(consumerPage);
        long consumer = start;
        long published = start;
        int delivered = 0;
        int discarded = 0;
        try {
            boolean progressed;
            do {
                progressed = false;
                // Pairs with smp_store_release(&rb->producer_pos) in the kernel's
                // __bpf_ringbuf_reserve(): the BUSY len word of every record below
                // this position is visible.
                final long producer = (long) POSITION.getAcquire(producerPage);
                // Positions are unsigned in the kernel; a signed compare is right
                // for the first 2^63 bytes, i.e. forever.
                while (consumer < producer && delivered < limit) {
                    final long headerOffset = consumer & mask;
                    // Pairs with xchg(&hdr->len) in bpf_ringbuf_commit() (a full
                    // barrier): once BUSY is clear, the payload is visible.
                    final int lenWord = (int) LEN_WORD.getAcquire(data, headerOffset);
                    if ((lenWord & BUSY_BIT) != 0) {
                        // Not committed yet. The kernel wakes us when it commits it,
                        // since the published consumer position will equal its position.
                        return delivered;
                    }
                    final int length = lenWord & LENGTH_MASK;
                    final long next = consumer + ((length + HEADER_LENGTH + RECORD_ALIGNMENT - 1)
                            & -RECORD_ALIGNMENT);
                    if (next - consumer > dataSize || next > producer) {
                        consumer = resynchronise(consumer, producer, lenWord);
                        progressed = true;
                        continue;
                    }
                    // Advance before the handler runs, so the finally skips a record that throws.
                    consumer = next;
                    progressed = true;
                    if ((lenWord & DISCARD_BIT) != 0) {
                        discarded++;
                        continue;
                    }
                    delivered++;
                    handler.onRecord(data, headerOffset + HEADER_LENGTH, length);
                }
                if (consumer != published) {
                    publish(consumerPage, consumer);
                    published = consumer;
                }
                // Loop while the last pass made progress: the kernel only wakes a
                // consumer that has caught up, so re-check before going to sleep.
            } while (progressed && delivered < limit);
            return delivered;
        } finally {
            if (consumer != published) {
                publish(consumerPage, consumer);
            }
            count(delivered, discarded);
        }
    }

    /** The consumer position (bytes consumed since the map was created). */
    public long consumerPosition() {
        return (long) POSITION.getAcquire(consumerPage);
    }

    /** The producer position (bytes reserved since the map was created). */
    public long producerPosition() {
        return (long) POSITION.getAcquire(producerPage);
    }

    /** The data area size (the map's max_entries). */
    public long dataSize() {
        return dataSize;
    }

    /** The map fd, or -1 for a ring made by {@link #overSegments}. */
    public int mapFd() {
        return mapFd;
    }

    /** Names the ring in messages, e.g. "map fd=7". */
    public String name() {
        return name;
    }

    /** Records handed to a handler (including those whose handler threw). */
    public long deliveredRecords() {
        return deliveredRecords;
    }

    /** Records the kernel committed with DISCARD: deliberate, not a loss. */
    public long discardedRecords() {
        return discardedRecords;
    }

    /** Times a record header was invalid and the consumer skipped to the producer. */
    public long invalidRecords() {
        return invalidRecords;
    }

    /** Bytes skipped by those resynchronisations: the events in them are lost. */
    public long skippedBytes() {
        return skippedBytes;
    }

    /** Unmaps the ring (a no-op for {@link #overSegments}); its segments are unusable afterwards. */
    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }

    /**
     * Pairs with smp_load_acquire(&rb->consumer_pos) in the kernel's
     * __bpf_ringbuf_reserve() (our reads of the records are done before it
     * reuses their space) and in bpf_ringbuf_commit() (its wake-up decision).
     */
    private static void publish(MemorySegment consumerPage, long consumer) {
        POSITION.setRelease(consumerPage, consumer);
    }

    /**
     * A committed record whose length runs past the producer position or the
     * data area cannot come from the kernel. Record boundaries are lost from
     * here, so the only safe restart point is the producer position: skip to it,
     * count it and say so loudly.
     */
    private long resynchronise(long consumer, long producer, int lenWord) {
        invalidRecords++;
        skippedBytes += producer - consumer;
        LOG.log(Level.ERROR, () -> "ring: invalid record header, skipping to the producer position: ring="
                + name + " consumerPos=" + consumer + " producerPos=" + producer + " lenWord=0x"
                + Integer.toHexString(lenWord) + " dataSize=" + dataSize + " skippedBytes=" + (producer - consumer));
        return producer;
    }

    private void count(int delivered, int discarded) {
        if (delivered != 0) {
            deliveredRecords += delivered;
        }
        if (discarded != 0) {
            discardedRecords += discarded;
        }
    }
}
