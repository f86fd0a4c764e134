package io.spawnwatch.event;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The first question of a DNS query, parsed without allocating (RFC 1035
 * section 4.1: a 12-byte header, then QNAME as length-prefixed labels ending
 * with a zero byte, QTYPE and QCLASS). Reused from one record to the next.
 *
 * <p>Bytes outside printable ASCII in a label are written as {@code \DDD}
 * (the zone-file escape of RFC 1035 section 5.1), so that a tunnel's binary
 * labels stay visible and one-to-one. A query whose QNAME does not end inside
 * the copied bytes, uses a compression pointer, or has a label longer than
 * 63 bytes is refused (not a query a resolver would send).
 */
public final class DnsQuestion {
    private static final int HEADER = 12;
    private static final int MAX_NAME = 255;

    private final StringBuilder name = new StringBuilder(MAX_NAME * 4);
    private int type;
    private int labels;

    /** Parses the query of {@code length} bytes at {@code offset}; false when it is not one. */
    public boolean parse(MemorySegment segment, long offset, int length) {
        name.setLength(0);
        type = 0;
        labels = 0;
        if (length < HEADER + 5) {
            return false;
        }
        int flags = u16(segment, offset + 2);
        int questions = u16(segment, offset + 4);
        if ((flags & 0x8000) != 0 || questions == 0) {
            return false; // a response, or no question
        }
        int at = HEADER;
        int wire = 0;
        while (true) {
            if (at >= length) {
                return false;
            }
            int len = Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset + at));
            at++;
            if (len == 0) {
                break;
            }
            if (len > 63 || at + len > length || (wire += len + 1) > MAX_NAME) {
                return false;
            }
            if (labels > 0) {
                name.append('.');
            }
            for (int i = 0; i < len; i++) {
                appendByte(Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset + at + i)));
            }
            at += len;
            labels++;
        }
        if (at + 2 > length) {
            return false;
        }
        type = u16(segment, offset + at);
        if (labels == 0) {
            name.append('.'); // the root
        }
        return true;
    }

    private void appendByte(int b) {
        if (b > 0x20 && b < 0x7f && b != '.' && b != '\\') {
            name.append((char) b);
        } else {
            name.append('\\').append((char) ('0' + b / 100)).append((char) ('0' + b / 10 % 10))
                    .append((char) ('0' + b % 10));
        }
    }

    private static int u16(MemorySegment s, long at) {
        return (Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at)) << 8)
                | Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + 1));
    }

    /** The name asked for, without the final dot ("example.com"); valid until the next parse. */
    public CharSequence name() {
        return name;
    }

    /** QTYPE (1 A, 28 AAAA, 16 TXT...). */
    public int type() {
        return type;
    }

    /** Number of labels in the name. */
    public int labels() {
        return labels;
    }

    /** The mnemonic of a QTYPE (RFC 1035, 3596, 2782...), or "TYPEnnn" (RFC 3597). */
    public static String typeName(int type) {
        return switch (type) {
            case 1 -> "A";
            case 2 -> "NS";
            case 5 -> "CNAME";
            case 6 -> "SOA";
            case 10 -> "NULL";
            case 12 -> "PTR";
            case 15 -> "MX";
            case 16 -> "TXT";
            case 28 -> "AAAA";
            case 33 -> "SRV";
            case 64 -> "SVCB";
            case 65 -> "HTTPS";
            case 255 -> "ANY";
            default -> "TYPE" + type;
        };
    }
}
