package io.spawnwatch.event;

import static io.spawnwatch.event.DnsRecordDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Flyweight over a DNS query record (struct sw_dns_record). */
public final class DnsRecord extends ProcessRecord {
    @Override
    public DnsRecord wrap(MemorySegment segment, long offset) {
        super.wrap(segment, offset);
        return this;
    }

    /** AF_INET (2) or AF_INET6 (10). */
    public int family() {
        return u16(FAMILY_OFFSET);
    }

    public int destinationPort() {
        return u16(DPORT_OFFSET);
    }

    /** Bytes of the datagram copied (at most {@link DnsRecordDescriptor#PAYLOAD_CAPACITY}). */
    public int payloadLength() {
        return Math.min(u16(PAYLOAD_LEN_OFFSET), PAYLOAD_CAPACITY);
    }

    /** The datagram's whole length as the caller passed it. */
    public long totalLength() {
        return Integer.toUnsignedLong(u32(TOTAL_LEN_OFFSET));
    }

    /** Copies the destination address into out; returns its length (4 or 16). */
    public int destinationAddress(byte[] out) {
        int len = family() == ConnectRecordDescriptor.AF_INET ? 4 : 16;
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset + DADDR_OFFSET, out, 0, len);
        return len;
    }

    /** Parses the query's first question into q; false when the payload is not a DNS query. */
    public boolean question(DnsQuestion q) {
        return q.parse(segment, offset + PAYLOAD_OFFSET, payloadLength());
    }
}
