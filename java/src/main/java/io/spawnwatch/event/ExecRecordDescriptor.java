package io.spawnwatch.event;

/**
 * Layout of struct sw_exec_record (3232 bytes).
 *
 * <pre>
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | argc u32                      | exe_len u16   | args_len u16  | 136
 * | cwd_len u16   | pexe_len u16  | pcwd_len u16  | truncated u16 | 144
 * | filename_len  | flags u16     | failed u16    | _pad0 u16     | 152
 * | exe[512]      the file the kernel runs (a script's interpreter)| 160
 * | filename[512] the path execve() was given (bprm->filename)    | 672
 * | parent_exe[512]                                               | 1184
 * | cwd[256]                                                      | 1696
 * | parent_cwd[256]                                               | 1952
 * | args[1024] (each argument NUL terminated)                     | 2208
 * +---------------------------------------------------------------+
 * </pre>
 *
 * Paths are named as /proc/PID/exe names them: " (deleted)" after an unlinked
 * file, "/memfd:NAME (deleted)" for a memfd. A path longer than its field keeps
 * its start and its last component, joined by {@link #CUT_MARK} (its TRUNC_ bit
 * set). filename is the path execve() was given, unresolved and possibly
 * relative to cwd: a #! script's with {@link #FLAG_SCRIPT}, else the program's
 * own, which differs from exe when it was started through a symlink (cut at
 * the end when longer than its field). parent_exe and parent_cwd are empty
 * when {@link #FLAG_PARENT_KNOWN}.
 */
public final class ExecRecordDescriptor {
    public static final int ARGC_OFFSET = 136;
    public static final int EXE_LEN_OFFSET = 140;
    public static final int ARGS_LEN_OFFSET = 142;
    public static final int CWD_LEN_OFFSET = 144;
    public static final int PARENT_EXE_LEN_OFFSET = 146;
    public static final int PARENT_CWD_LEN_OFFSET = 148;
    public static final int TRUNCATED_OFFSET = 150;
    public static final int FILENAME_LEN_OFFSET = 152;
    public static final int FLAGS_OFFSET = 154;
    public static final int FAILED_OFFSET = 156;
    public static final int EXE_OFFSET = 160;
    public static final int FILENAME_OFFSET = 672;
    public static final int PARENT_EXE_OFFSET = 1184;
    public static final int CWD_OFFSET = 1696;
    public static final int PARENT_CWD_OFFSET = 1952;
    public static final int ARGS_OFFSET = 2208;

    public static final int PATH_CAPACITY = 512;
    public static final int CWD_CAPACITY = 256;
    public static final int ARGS_CAPACITY = 1024;
    public static final int LENGTH = 3232;

    /** sw_truncated bits, in truncated (did not fit) and in failed (could not be read). */
    public static final int TRUNC_EXE = 1;
    public static final int TRUNC_PARENT_EXE = 1 << 1;
    public static final int TRUNC_CWD = 1 << 2;
    public static final int TRUNC_PARENT_CWD = 1 << 3;
    public static final int TRUNC_ARGS = 1 << 4;
    public static final int TRUNC_FILENAME = 1 << 5;

    /** sw_exec_flags: a #! script; exe is its interpreter, filename the script. Else filename is the program. */
    public static final int FLAG_SCRIPT = 1;
    /** sw_exec_flags: the parent's exe and cwd were not read; its own records had them. */
    public static final int FLAG_PARENT_KNOWN = 1 << 1;

    /** Where the kernel cut the middle of a path too long for its field. */
    public static final String CUT_MARK = "/...";

    private ExecRecordDescriptor() {}
}
