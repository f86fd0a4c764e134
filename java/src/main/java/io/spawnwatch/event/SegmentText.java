package io.spawnwatch.event;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A reusable {@link CharSequence} over bytes of a record, so that rules can
 * read paths and command lines without copying them. Each byte is one char
 * (Latin-1): exact for the ASCII that rules match on; {@link #toString()}
 * decodes UTF-8 properly for output. With {@code nulAsSpace}, the NULs that
 * separate argv entries read as spaces, which turns args into a command line.
 */
public final class SegmentText implements CharSequence {
    private MemorySegment segment = MemorySegment.NULL;
    private long offset;
    private int length;
    private boolean nulAsSpace;

    /** Points this view at {@code length} bytes at {@code offset}. */
    public SegmentText wrap(MemorySegment segment, long offset, int length, boolean nulAsSpace) {
        this.segment = segment;
        this.offset = offset;
        this.length = length;
        this.nulAsSpace = nulAsSpace;
        return this;
    }

    /** Points this view at a NUL-terminated string of at most {@code capacity} bytes. */
    public SegmentText wrapCString(MemorySegment segment, long offset, int capacity) {
        int n = 0;
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
        byte b = segment.get(ValueLayout.JAVA_BYTE, offset + index);
        if (b == 0 && nulAsSpace) {
            return ' ';
        }
        return (char) (b & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    /** The bytes of this view, for output. */
    public byte[] toBytes() {
        byte[] bytes = segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
        if (nulAsSpace) {
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    bytes[i] = ' ';
                }
            }
        }
        return bytes;
    }

    /** Decodes the bytes as UTF-8; allocates, so only for output. */
    @Override
    public String toString() {
        return new String(toBytes(), StandardCharsets.UTF_8);
    }
}
