package io.spawnwatch.event;

/**
 * Layout of struct sw_process (120 bytes), offsets relative to its start.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * | pid (tgid) u32                | tid u32                       | 0
 * | ppid (real parent tgid) u32   | uid u32                       | 8
 * | gid u32                       | euid u32                      | 16
 * | egid u32                      | sid u32                       | 24
 * | pgid u32                      | tty u32                       | 32
 * | lineage_root u32              | lineage_depth u32             | 40
 * | cgroup_id u64                                                 | 48
 * | start_boot_ns u64                                             | 56
 * | parent_start_boot_ns u64                                      | 64
 * | root_start_boot_ns u64                                        | 72
 * | match u32                     | _pad0 u32                     | 80
 * | comm[16]                                                      | 88
 * | parent_comm[16]                                               | 104
 * +---------------------------------------------------------------+
 * </pre>
 *
 * Pids are the kernel's global ones; (pid, start_boot_ns) identifies a process
 * instance. Start times are CLOCK_BOOTTIME nanoseconds. tty is encoded as
 * /proc/PID/stat's tty_nr, 0 without a controlling terminal.
 */
public final class ProcessDescriptor {
    public static final int PID_OFFSET = 0;
    public static final int TID_OFFSET = 4;
    public static final int PPID_OFFSET = 8;
    public static final int UID_OFFSET = 12;
    public static final int GID_OFFSET = 16;
    public static final int EUID_OFFSET = 20;
    public static final int EGID_OFFSET = 24;
    public static final int SID_OFFSET = 28;
    public static final int PGID_OFFSET = 32;
    public static final int TTY_OFFSET = 36;
    public static final int LINEAGE_ROOT_OFFSET = 40;
    public static final int LINEAGE_DEPTH_OFFSET = 44;
    public static final int CGROUP_ID_OFFSET = 48;
    public static final int START_BOOT_NS_OFFSET = 56;
    public static final int PARENT_START_BOOT_NS_OFFSET = 64;
    public static final int ROOT_START_BOOT_NS_OFFSET = 72;
    public static final int MATCH_OFFSET = 80;
    public static final int COMM_OFFSET = 88;
    public static final int PARENT_COMM_OFFSET = 104;
    public static final int COMM_LENGTH = 16;
    public static final int LENGTH = 120;

    /** sw_match bits: why the process passed the kernel filter. */
    public static final int MATCH_WEB_COMM = 1;
    public static final int MATCH_WEB_PARENT = 1 << 1;
    public static final int MATCH_WEB_USER = 1 << 2;
    public static final int MATCH_LINEAGE = 1 << 3;
    /** An interpreter that may be a web server: user space decides from its command line. */
    public static final int MATCH_CANDIDATE = 1 << 4;

    private ProcessDescriptor() {}
}
