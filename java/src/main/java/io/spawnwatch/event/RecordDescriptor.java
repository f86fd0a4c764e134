package io.spawnwatch.event;

/**
 * Layout of the header that starts every ring-buffer record (struct
 * sw_record_header in bpf/spawnwatch.h). RecordLayoutTest checks every offset
 * here against the C compiler's.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |          type (u16)           |         version (u16)         | 0
 * +-------------------------------+-------------------------------+
 * |                     size of the record (u32)                  | 4
 * +---------------------------------------------------------------+
 * |            boot_ns: bpf_ktime_get_boot_ns() at the hook (u64) | 8
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class RecordDescriptor {
    public static final int VERSION = 4;
    public static final int TYPE_EXEC = 1;
    public static final int TYPE_CONNECT = 2;
    /** A lineage member forked: {@link ForkRecordDescriptor}. */
    public static final int TYPE_FORK = 3;
    /** A TCP socket started listening: {@link ListenRecordDescriptor}. */
    public static final int TYPE_LISTEN = 4;
    /** Visibility II records (issue 13). */
    public static final int TYPE_FILE = 5;
    public static final int TYPE_DNS = 6;
    public static final int TYPE_PRIVILEGE = 7;

    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int SIZE_OFFSET = 4;
    public static final int BOOT_NS_OFFSET = 8;
    public static final int HEADER_LENGTH = 16;

    /** struct sw_process sits right after the header in every record. */
    public static final int PROCESS_OFFSET = HEADER_LENGTH;

    private RecordDescriptor() {}
}
