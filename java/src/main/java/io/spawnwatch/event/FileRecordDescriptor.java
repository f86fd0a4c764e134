package io.spawnwatch.event;

/**
 * Layout of struct sw_file_record: a lineage member wrote to a watched path.
 * Offsets after the process part are relative to its end ({@link #BODY}), so
 * that they follow struct sw_process when it grows.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process                                             | 16
 * | action u16    | class u16     | path_len u16  | truncated u16 | B+0
 * | mode u32                      | hook u16      | _pad0 u16     | B+8
 * | path[512]                                                     | B+16
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class FileRecordDescriptor {
    /** B: where the file fields start, right after struct sw_process. */
    public static final int BODY = RecordDescriptor.PROCESS_OFFSET + ProcessDescriptor.LENGTH;
    public static final int ACTION_OFFSET = BODY;
    public static final int CLASS_OFFSET = BODY + 2;
    public static final int PATH_LEN_OFFSET = BODY + 4;
    public static final int TRUNCATED_OFFSET = BODY + 6;
    public static final int MODE_OFFSET = BODY + 8;
    public static final int HOOK_OFFSET = BODY + 12;
    public static final int PATH_OFFSET = BODY + 16;
    public static final int PATH_CAPACITY = 512;
    public static final int LENGTH = PATH_OFFSET + PATH_CAPACITY;

    /** sw_file_action values. */
    public static final int ACTION_CREATE = 1;
    public static final int ACTION_WRITE = 2;
    public static final int ACTION_TRUNCATE = 3;
    public static final int ACTION_RENAME = 4;
    public static final int ACTION_LINK = 5;
    public static final int ACTION_CHMOD = 6;

    /** sw_file_class values. */
    public static final int CLASS_WRITABLE = 1;
    public static final int CLASS_PERSISTENCE = 2;
    public static final int CLASS_WEB_ROOT = 3;

    /** sw_file_hook values. */
    public static final int HOOK_FEXIT_DO_FILP_OPEN = 1;
    public static final int HOOK_SYSCALL_TP = 2;

    public static final int TRUNC_PATH = 1;

    /** Bytes of a path the prefix trie compares, of a base name and of an extension (with its dot). */
    public static final int PREFIX_LENGTH = 64;
    public static final int NAME_LENGTH = 32;
    public static final int EXTENSION_LENGTH = 8;

    private FileRecordDescriptor() {}
}
