package io.spawnwatch.event;

import static io.spawnwatch.event.ExecRecordDescriptor.*;

import java.lang.foreign.MemorySegment;

/** Flyweight over an exec record (struct sw_exec_record). */
public final class ExecRecord extends ProcessRecord {

    @Override
    public ExecRecord wrap(MemorySegment segment, long offset) {
        super.wrap(segment, offset);
        return this;
    }

    /** The true argument count (bprm->argc), even when args were truncated. */
    public int argc() {
        return u32(ARGC_OFFSET);
    }

    /** SW_TRUNC_* bits: which fields did not fit. */
    public int truncated() {
        return u16(TRUNCATED_OFFSET);
    }

    /** SW_TRUNC_* bits: which fields the kernel could not read (kept partial or empty). */
    public int failed() {
        return u16(FAILED_OFFSET);
    }

    /** FLAG_* bits (ExecRecordDescriptor). */
    public int flags() {
        return u16(FLAGS_OFFSET);
    }

    /** True for a #! script: exe() is its interpreter, script() the script. */
    public boolean isScript() {
        return (flags() & FLAG_SCRIPT) != 0;
    }

    /** True when parentExe() and parentCwd() are empty because the parent's own records carried them. */
    public boolean parentKnown() {
        return (flags() & FLAG_PARENT_KNOWN) != 0;
    }

    /** A script's path as execve() named it (relative to cwd() when relative); empty for other programs. */
    public SegmentText script(SegmentText out) {
        return text(out, SCRIPT_OFFSET, SCRIPT_LEN_OFFSET, PATH_CAPACITY, false);
    }

    /** The file the kernel runs, as /proc/PID/exe names it (for a script, its interpreter). */
    public SegmentText exe(SegmentText out) {
        return text(out, EXE_OFFSET, EXE_LEN_OFFSET, PATH_CAPACITY, false);
    }

    public SegmentText parentExe(SegmentText out) {
        return text(out, PARENT_EXE_OFFSET, PARENT_EXE_LEN_OFFSET, PATH_CAPACITY, false);
    }

    public SegmentText cwd(SegmentText out) {
        return text(out, CWD_OFFSET, CWD_LEN_OFFSET, CWD_CAPACITY, false);
    }

    public SegmentText parentCwd(SegmentText out) {
        return text(out, PARENT_CWD_OFFSET, PARENT_CWD_LEN_OFFSET, CWD_CAPACITY, false);
    }

    /** argv joined with spaces; the final NUL is not part of it. */
    public SegmentText commandLine(SegmentText out) {
        int len = argsLength();
        while (len > 0 && segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + ARGS_OFFSET + len - 1) == 0) {
            len--;
        }
        return out.wrap(segment, offset + ARGS_OFFSET, len, true);
    }

    /**
     * Where argument {@code index} starts, given where the previous one
     * started ({@code from}: 0 for the first, then the previous result): the
     * args bytes are walked once when the caller goes in order. Returns -1
     * past the last argument. Offsets are relative to {@link #argsOffset()}.
     */
    public int nextArgStart(int from, boolean first) {
        int len = argsLength();
        if (first) {
            return len > 0 ? 0 : -1;
        }
        int end = argEnd(from);
        return end + 1 < len ? end + 1 : -1;
    }

    /** End (exclusive) of the argument that starts at {@code start}: its NUL, or the end of a truncated last one. */
    public int argEnd(int start) {
        int len = argsLength();
        long base = offset + ARGS_OFFSET;
        int i = start;
        while (i < len && segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, base + i) != 0) {
            i++;
        }
        return i;
    }

    /** Bytes in the executable path (0 when the kernel could not read it). */
    public int exeLength() {
        return Math.min(u16(EXE_LEN_OFFSET), PATH_CAPACITY);
    }

    /** Bytes used in args, each argument followed by a NUL. */
    public int argsLength() {
        return Math.min(u16(ARGS_LEN_OFFSET), ARGS_CAPACITY);
    }

    /** Absolute offset of the args bytes in {@link #segment()}. */
    public long argsOffset() {
        return offset + ARGS_OFFSET;
    }

    private SegmentText text(SegmentText out, int field, int lengthField, int capacity, boolean nulAsSpace) {
        int len = Math.min(u16(lengthField), capacity);
        return out.wrap(segment, offset + field, len, nulAsSpace);
    }
}
