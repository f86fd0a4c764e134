package io.spawnwatch.event;

/**
 * Layout of struct sw_connect_record (184 bytes).
 *
 * <pre>
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | family u16    | protocol u16  | sport u16     | dport u16     | 136
 * | saddr[16] (IPv4: first 4 bytes, network order)                | 144
 * | daddr[16]                                                     | 160
 * | hook u32                      | _pad0 u32                     | 176
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class ConnectRecordDescriptor {
    public static final int FAMILY_OFFSET = 136;
    public static final int PROTOCOL_OFFSET = 138;
    public static final int SPORT_OFFSET = 140;
    public static final int DPORT_OFFSET = 142;
    public static final int SADDR_OFFSET = 144;
    public static final int DADDR_OFFSET = 160;
    public static final int HOOK_OFFSET = 176;
    public static final int LENGTH = 184;

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    /** sw_hook values. */
    public static final int HOOK_FENTRY_TCP_CONNECT = 1;
    public static final int HOOK_KPROBE_TCP_CONNECT = 2;
    public static final int HOOK_TP_INET_SOCK_SET_STATE = 3;
    /** cgroup socket-address hooks on the root cgroup (TCP connects, UDP connects and sends). */
    public static final int HOOK_CGROUP_CONNECT4 = 5;
    public static final int HOOK_CGROUP_CONNECT6 = 6;
    public static final int HOOK_CGROUP_SENDMSG4 = 7;
    public static final int HOOK_CGROUP_SENDMSG6 = 8;

    /** protocol values. */
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;

    private ConnectRecordDescriptor() {}
}
