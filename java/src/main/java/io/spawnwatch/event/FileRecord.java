package io.spawnwatch.event;

import static io.spawnwatch.event.FileRecordDescriptor.*;

import java.lang.foreign.MemorySegment;

/** Flyweight over a file record (struct sw_file_record). */
public final class FileRecord extends ProcessRecord {
    @Override
    public FileRecord wrap(MemorySegment segment, long offset) {
        super.wrap(segment, offset);
        return this;
    }

    /** FileRecordDescriptor.ACTION_* value. */
    public int action() {
        return u16(ACTION_OFFSET);
    }

    /** FileRecordDescriptor.CLASS_* value: why the kernel watched the path. */
    public int pathClass() {
        return u16(CLASS_OFFSET);
    }

    public int truncated() {
        return u16(TRUNCATED_OFFSET);
    }

    /** For chmod the mode asked for; otherwise the file's mode (st_mode bits) after the open. */
    public int mode() {
        return u32(MODE_OFFSET);
    }

    /** FileRecordDescriptor.HOOK_* value. */
    public int hook() {
        return u16(HOOK_OFFSET);
    }

    /** The path as the kernel resolved it. */
    public SegmentText path(SegmentText out) {
        int len = Math.min(u16(PATH_LEN_OFFSET), PATH_CAPACITY);
        return out.wrap(segment, offset + PATH_OFFSET, len, false);
    }

    /** "creation", "change"...: the ECS event.type of an action. */
    public static String ecsType(int action) {
        return action == ACTION_CREATE ? "creation" : "change";
    }

    /** The name rules and documents use for an action (event.action). */
    public static String actionName(int action) {
        return switch (action) {
            case ACTION_CREATE -> "creation";
            case ACTION_WRITE -> "write";
            case ACTION_TRUNCATE -> "truncate";
            case ACTION_RENAME -> "rename";
            case ACTION_LINK -> "link";
            case ACTION_CHMOD -> "chmod";
            default -> "unknown";
        };
    }

    /** The name of a path class: writable, persistence, web_root. */
    public static String className(int pathClass) {
        return switch (pathClass) {
            case CLASS_WRITABLE -> "writable";
            case CLASS_PERSISTENCE -> "persistence";
            case CLASS_WEB_ROOT -> "web_root";
            default -> "unknown";
        };
    }
}
