package io.spawnwatch.event;

/**
 * Layout of struct sw_dns_record: the start of a datagram a lineage member
 * sent to UDP port 53 (a DNS query), for user space to parse.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | family u16    | dport u16     | payload_len u16 | _pad0 u16   | B+0
 * | total_len u32                 | _pad1 u32                     | B+8
 * | daddr[16]                                                     | B+16
 * | payload[256]                                                  | B+32
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class DnsRecordDescriptor {
    public static final int BODY = RecordDescriptor.PROCESS_OFFSET + ProcessDescriptor.LENGTH;
    public static final int FAMILY_OFFSET = BODY;
    public static final int DPORT_OFFSET = BODY + 2;
    public static final int PAYLOAD_LEN_OFFSET = BODY + 4;
    public static final int TOTAL_LEN_OFFSET = BODY + 8;
    public static final int DADDR_OFFSET = BODY + 16;
    public static final int PAYLOAD_OFFSET = BODY + 32;
    public static final int PAYLOAD_CAPACITY = 256;
    public static final int LENGTH = PAYLOAD_OFFSET + PAYLOAD_CAPACITY;

    private DnsRecordDescriptor() {}
}
