package io.spawnwatch.event;

/**
 * Layout of struct sw_exec_record (2680 bytes).
 *
 * <pre>
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | argc u32                      | exe_len u16   | args_len u16  | 104
 * | cwd_len u16   | pexe_len u16  | pcwd_len u16  | truncated u16 | 112
 * | exe[512]                                                      | 120
 * | parent_exe[512]                                               | 632
 * | cwd[256]                                                      | 1144
 * | parent_cwd[256]                                               | 1400
 * | args[1024] (each argument NUL terminated)                     | 1656
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class ExecRecordDescriptor {
    public static final int ARGC_OFFSET = 104;
    public static final int EXE_LEN_OFFSET = 108;
    public static final int ARGS_LEN_OFFSET = 110;
    public static final int CWD_LEN_OFFSET = 112;
    public static final int PARENT_EXE_LEN_OFFSET = 114;
    public static final int PARENT_CWD_LEN_OFFSET = 116;
    public static final int TRUNCATED_OFFSET = 118;
    public static final int EXE_OFFSET = 120;
    public static final int PARENT_EXE_OFFSET = 632;
    public static final int CWD_OFFSET = 1144;
    public static final int PARENT_CWD_OFFSET = 1400;
    public static final int ARGS_OFFSET = 1656;

    public static final int PATH_CAPACITY = 512;
    public static final int CWD_CAPACITY = 256;
    public static final int ARGS_CAPACITY = 1024;
    public static final int LENGTH = 2680;

    /** sw_truncated bits. */
    public static final int TRUNC_EXE = 1;
    public static final int TRUNC_PARENT_EXE = 1 << 1;
    public static final int TRUNC_CWD = 1 << 2;
    public static final int TRUNC_PARENT_CWD = 1 << 3;
    public static final int TRUNC_ARGS = 1 << 4;

    private ExecRecordDescriptor() {}
}
