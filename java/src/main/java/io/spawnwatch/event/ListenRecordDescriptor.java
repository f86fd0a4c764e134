package io.spawnwatch.event;

/**
 * Layout of struct sw_listen_record (168 bytes): a TCP socket started
 * listening, in a lineage member or, as a server candidate, anywhere else.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | family u16    | protocol u16  | port u16      | _pad0 u16     | 136
 * | addr[16] bound address (IPv4: first 4 bytes), network order   | 144
 * | hook u32                      | backlog u32                   | 160
 * +---------------------------------------------------------------+
 * </pre>
 *
 * port is the local port, host byte order; addr is all zeros when bound to
 * every address.
 */
public final class ListenRecordDescriptor {
    public static final int FAMILY_OFFSET = 136;
    public static final int PROTOCOL_OFFSET = 138;
    public static final int PORT_OFFSET = 140;
    public static final int ADDR_OFFSET = 144;
    public static final int HOOK_OFFSET = 160;
    public static final int BACKLOG_OFFSET = 164;
    public static final int LENGTH = 168;

    /** sw_hook: the listen-only fentry hook. */
    public static final int HOOK_FENTRY_INET_CSK_LISTEN_START = 4;
    /** sw_hook: listen(2)'s exit tracepoint. */
    public static final int HOOK_TP_SYS_EXIT_LISTEN = 9;

    private ListenRecordDescriptor() {}
}
