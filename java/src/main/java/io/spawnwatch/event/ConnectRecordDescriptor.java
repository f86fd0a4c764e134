package io.spawnwatch.event;

/**
 * Layout of struct sw_connect_record (152 bytes).
 *
 * <pre>
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | family u16    | protocol u16  | sport u16     | dport u16     | 104
 * | saddr[16] (IPv4: first 4 bytes, network order)                | 112
 * | daddr[16]                                                     | 128
 * | hook u32                      | _pad0 u32                     | 144
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class ConnectRecordDescriptor {
    public static final int FAMILY_OFFSET = 104;
    public static final int PROTOCOL_OFFSET = 106;
    public static final int SPORT_OFFSET = 108;
    public static final int DPORT_OFFSET = 110;
    public static final int SADDR_OFFSET = 112;
    public static final int DADDR_OFFSET = 128;
    public static final int HOOK_OFFSET = 144;
    public static final int LENGTH = 152;

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    /** sw_hook values. */
    public static final int HOOK_FENTRY_TCP_CONNECT = 1;
    public static final int HOOK_KPROBE_TCP_CONNECT = 2;
    public static final int HOOK_TP_INET_SOCK_SET_STATE = 3;
    /** cgroup socket-address hooks on the root cgroup (TCP connects, UDP connects and sends). */
    public static final int HOOK_CGROUP_CONNECT4 = 4;
    public static final int HOOK_CGROUP_CONNECT6 = 5;
    public static final int HOOK_CGROUP_SENDMSG4 = 6;
    public static final int HOOK_CGROUP_SENDMSG6 = 7;

    /** protocol values. */
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;

    private ConnectRecordDescriptor() {}
}
