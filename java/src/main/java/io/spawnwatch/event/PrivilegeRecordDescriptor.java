package io.spawnwatch.event;

/**
 * Layout of struct sw_privilege_record: a lineage member's set*uid() or
 * capset() gave it root or new effective capabilities. The process part
 * carries the credentials after the change.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | how u32                       | old_euid u32                  | B+0
 * | old_cap_effective u64                                         | B+8
 * | new_cap_effective u64                                         | B+16
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class PrivilegeRecordDescriptor {
    public static final int BODY = RecordDescriptor.PROCESS_OFFSET + ProcessDescriptor.LENGTH;
    public static final int HOW_OFFSET = BODY;
    public static final int OLD_EUID_OFFSET = BODY + 4;
    public static final int OLD_CAP_EFFECTIVE_OFFSET = BODY + 8;
    public static final int NEW_CAP_EFFECTIVE_OFFSET = BODY + 16;
    public static final int LENGTH = BODY + 24;

    /** sw_privilege_how values. */
    public static final int HOW_SETUID = 1;
    public static final int HOW_SETREUID = 2;
    public static final int HOW_SETRESUID = 3;
    public static final int HOW_CAPSET = 4;

    private PrivilegeRecordDescriptor() {}
}
