package io.spawnwatch.event;

/**
 * Layout of struct sw_exec_record (2712 bytes).
 *
 * <pre>
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | argc u32                      | exe_len u16   | args_len u16  | 136
 * | cwd_len u16   | pexe_len u16  | pcwd_len u16  | truncated u16 | 144
 * | exe[512]                                                      | 152
 * | parent_exe[512]                                               | 664
 * | cwd[256]                                                      | 1176
 * | parent_cwd[256]                                               | 1432
 * | args[1024] (each argument NUL terminated)                     | 1688
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class ExecRecordDescriptor {
    public static final int ARGC_OFFSET = 136;
    public static final int EXE_LEN_OFFSET = 140;
    public static final int ARGS_LEN_OFFSET = 142;
    public static final int CWD_LEN_OFFSET = 144;
    public static final int PARENT_EXE_LEN_OFFSET = 146;
    public static final int PARENT_CWD_LEN_OFFSET = 148;
    public static final int TRUNCATED_OFFSET = 150;
    public static final int EXE_OFFSET = 152;
    public static final int PARENT_EXE_OFFSET = 664;
    public static final int CWD_OFFSET = 1176;
    public static final int PARENT_CWD_OFFSET = 1432;
    public static final int ARGS_OFFSET = 1688;

    public static final int PATH_CAPACITY = 512;
    public static final int CWD_CAPACITY = 256;
    public static final int ARGS_CAPACITY = 1024;
    public static final int LENGTH = 2712;

    /** sw_truncated bits. */
    public static final int TRUNC_EXE = 1;
    public static final int TRUNC_PARENT_EXE = 1 << 1;
    public static final int TRUNC_CWD = 1 << 2;
    public static final int TRUNC_PARENT_CWD = 1 << 3;
    public static final int TRUNC_ARGS = 1 << 4;

    private ExecRecordDescriptor() {}
}
