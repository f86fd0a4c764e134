package io.spawnwatch.event;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A reusable {@link CharSequence} over bytes of a record, so that rules can
 * read paths and command lines without a String per field. Each byte is one
 * char (Latin-1): exact for the ASCII that rules match on; {@link #toString()}
 * decodes UTF-8 properly for output. With {@code nulAsSpace}, the NULs that
 * separate argv entries read as spaces, which turns args into a command line.
 *
 * <p>Wrapping costs nothing: the bytes are copied, once, into a buffer this
 * view owns (grown to the largest field, then reused) when a char is first
 * read. A rule reads the same few fields char by char many times, and a read
 * from a plain array is several times cheaper than one through a
 * {@link MemorySegment} (no liveness, bounds and alignment checks, no type
 * profile shared between the ring's native segment and heap segments). It
 * also means a view no longer depends on the ring's bytes once read. A view
 * can also be pointed at a byte array that holds the text as is
 * ({@link #wrap(byte[], int, int)}), which is then read in place.
 */
public final class SegmentText implements CharSequence {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;
    private int length;
    private boolean nulAsSpace;
    /** What charAt reads once loaded: {@link #buffer}, or an array wrapped in place. */
    private byte[] bytes;
    private int base;
    private boolean loaded;
    private byte[] buffer = new byte[64];

    /** Points this view at {@code length} bytes at {@code offset}. */
    public SegmentText wrap(MemorySegment segment, long offset, int length, boolean nulAsSpace) {
        this.segment = segment;
        this.offset = offset;
        this.length = length;
        this.nulAsSpace = nulAsSpace;
        this.loaded = false;
        return this;
    }

    /**
     * Points this view at {@code length} bytes of {@code array} from {@code from},
     * read in place (no copy, no NUL translation): the owner of the array must
     * not change those bytes while the view is in use.
     */
    public SegmentText wrap(byte[] array, int from, int length) {
        this.segment = MemorySegment.NULL;
        this.offset = 0;
        this.length = length;
        this.nulAsSpace = false;
        this.bytes = array;
        this.base = from;
        this.loaded = true;
        return this;
    }

    /**
     * Points this view at a NUL-terminated string of at most {@code capacity}
     * bytes. For the 16-byte comm fields the NUL is found eight bytes at a time.
     */
    public SegmentText wrapCString(MemorySegment segment, long offset, int capacity) {
        int n = 0;
        while (n + 8 <= capacity) {
            long word = segment.get(U64, offset + n);
            long zeros = (word - ONES) & ~word & HIGHS; // the lowest set bit marks the first NUL byte
            if (zeros != 0) {
                return wrap(segment, offset, n + (Long.numberOfTrailingZeros(zeros) >>> 3), false);
            }
            n += 8;
        }
        while (n < capacity && segment.get(ValueLayout.JAVA_BYTE, offset + n) != 0) {
            n++;
        }
        return wrap(segment, offset, n, false);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index=" + index + ", length=" + length);
        }
        if (!loaded) {
            load();
        }
        return (char) (bytes[base + index] & 0xff);
    }

    /** Copies the bytes out of the segment, NULs as spaces where asked. */
    private void load() {
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, buffer.length * 2)];
        }
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, buffer, 0, length);
        if (nulAsSpace) {
            for (int i = 0; i < length; i++) {
                if (buffer[i] == 0) {
                    buffer[i] = ' ';
                }
            }
        }
        bytes = buffer;
        base = 0;
        loaded = true;
    }

    /** Copies at most {@code out.length} bytes of this view into {@code out} (NULs as read); returns how many. */
    public int copyTo(byte[] out) {
        int n = Math.min(length, out.length);
        if (loaded) {
            System.arraycopy(bytes, base, out, 0, n);
        } else {
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, out, 0, n);
            if (nulAsSpace) {
                for (int i = 0; i < n; i++) {
                    if (out[i] == 0) {
                        out[i] = ' ';
                    }
                }
            }
        }
        return n;
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    /** The bytes of this view, for output. */
    public byte[] toBytes() {
        byte[] out = new byte[length];
        copyTo(out);
        return out;
    }

    /** Decodes the bytes as UTF-8; allocates, so only for output. */
    @Override
    public String toString() {
        return new String(toBytes(), StandardCharsets.UTF_8);
    }
}
