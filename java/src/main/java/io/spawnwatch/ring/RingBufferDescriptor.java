package io.spawnwatch.ring;

/**
 * Layout of a BPF ring buffer ({@code BPF_MAP_TYPE_RINGBUF}) as user space maps
 * it, and of its records (kernel/bpf/ringbuf.c, {@code struct bpf_ringbuf} and
 * {@code struct bpf_ringbuf_hdr}).
 *
 * <pre>
 * map fd offset  0            page            2*page          2*page + size
 *                +------------+---------------+----------------+----------------+
 *                |consumer_pos| producer_pos  |   data (size)  | same data again|
 *                |  u64, rw   |   u64, ro     |       ro       | (kernel maps   |
 *                |            |               |                |  it twice)     |
 *                +------------+---------------+----------------+----------------+
 * </pre>
 *
 * Positions only grow; a record at position {@code p} starts at data offset
 * {@code p & (size - 1)}. Since the data pages are mapped twice, a record that
 * wraps past the end of the data area is still contiguous in the mapping.
 *
 * <p>A record, 8-byte aligned:
 * <pre>
 *   3 3 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 1 1 1 1 1
 *   1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0
 *  +-+-+-----------------------------------------------------------+
 *  |B|D|                  Length (30 bits)                         |  u32 len
 *  +-+-+-----------------------------------------------------------+
 *  |          Page offset of the header (kernel-internal)          |  u32 pg_off
 *  +---------------------------------------------------------------+
 *  |                   Payload, Length bytes                     ...
 * ...                                                              |
 *  +---------------------------------------------------------------+
 *  |          Padding up to the next multiple of 8 bytes         ...
 *  +---------------------------------------------------------------+
 *
 *  B: BUSY, reserved and not committed yet; the consumer must stop here.
 *  D: DISCARD, committed with bpf_ringbuf_discard(); skip it.
 *  Both words are host byte order (little endian on x86_64 and arm64).
 * </pre>
 */
public final class RingBufferDescriptor {
    /** Set while the producer has reserved the record and not committed it. */
    public static final int BUSY_BIT = 1 << 31;
    /** Set when the producer discarded the record: it carries no event. */
    public static final int DISCARD_BIT = 1 << 30;
    /** The low 30 bits of the len word: the payload length. */
    public static final int LENGTH_MASK = ~(BUSY_BIT | DISCARD_BIT);
    /** {@code BPF_RINGBUF_HDR_SZ}. */
    public static final int HEADER_LENGTH = 8;
    /** Offset of the u32 len word in the header. */
    public static final int LENGTH_OFFSET = 0;
    /** Offset of the kernel's u32 page offset in the header. */
    public static final int PAGE_OFFSET_OFFSET = 4;
    /** Records start at multiples of this. */
    public static final int RECORD_ALIGNMENT = 8;
    /** Offset of the u64 consumer position in the consumer page. */
    public static final int CONSUMER_POSITION_OFFSET = 0;
    /** Offset of the u64 producer position in the producer page. */
    public static final int PRODUCER_POSITION_OFFSET = 0;

    private RingBufferDescriptor() {}

    /** The payload length of a len word, without the BUSY and DISCARD bits. */
    public static int payloadLength(int lenWord) {
        return lenWord & LENGTH_MASK;
    }

    /** Bytes a record with this len word occupies: header + payload, 8-byte aligned. */
    public static int alignedRecordLength(int lenWord) {
        return (payloadLength(lenWord) + HEADER_LENGTH + RECORD_ALIGNMENT - 1) & -RECORD_ALIGNMENT;
    }

    /** Whether the record is reserved but not committed yet. */
    public static boolean isBusy(int lenWord) {
        return (lenWord & BUSY_BIT) != 0;
    }

    /** Whether the producer discarded the record. */
    public static boolean isDiscarded(int lenWord) {
        return (lenWord & DISCARD_BIT) != 0;
    }

    /**
     * Checks a data size ({@code max_entries} of the map): a power of two, as the
     * kernel requires, so that {@code position & (size - 1)} is the data offset.
     */
    public static void checkDataSize(long dataSize) {
        if (dataSize < RECORD_ALIGNMENT || Long.bitCount(dataSize) != 1) {
            throw new IllegalArgumentException(
                    "ring: data size must be a power of two of at least 8: dataSize=" + dataSize);
        }
    }
}
