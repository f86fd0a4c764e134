package io.spawnwatch.ring;

import java.lang.foreign.MemorySegment;

/**
 * Receives the records of a {@link RingBuffer}, one call per committed record.
 *
 * <p>{@code data} is the same read-only segment for every record: the whole
 * double-mapped data area. The payload is {@code data[offset, offset + length)},
 * contiguous even when it wraps past the end of the ring. It is valid only during
 * the call: once the consumer position passes the record, the kernel may reuse
 * the bytes. Wrap a flyweight over it; do not keep it.
 *
 * <p>An exception thrown here skips the record (see {@link RingBuffer#poll}).
 */
@FunctionalInterface
public interface RecordHandler {
    /**
     * @param data   the ring's data mapping, read-only
     * @param offset absolute offset of the payload in {@code data} (after the 8-byte header)
     * @param length payload length in bytes, without header and padding
     */
    void onRecord(MemorySegment data, long offset, int length);
}
