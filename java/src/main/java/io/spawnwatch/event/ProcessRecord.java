package io.spawnwatch.event;

import static io.spawnwatch.event.RecordDescriptor.PROCESS_OFFSET;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Flyweight over the common part of every record: the header and the process
 * identity. {@link #wrap} points it at a record in place (in the ring's
 * mapping); nothing is copied or allocated.
 */
public class ProcessRecord {
    protected static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    protected static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    protected static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    protected MemorySegment segment = MemorySegment.NULL;
    protected long offset;

    /** Points at the record that starts at {@code offset}. Returns this. */
    public ProcessRecord wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public MemorySegment segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    public int type() {
        return u16(RecordDescriptor.TYPE_OFFSET);
    }

    public int version() {
        return u16(RecordDescriptor.VERSION_OFFSET);
    }

    public int size() {
        return u32(RecordDescriptor.SIZE_OFFSET);
    }

    /** CLOCK_BOOTTIME nanoseconds when the hook fired. */
    public long bootNanos() {
        return segment.get(U64, offset + RecordDescriptor.BOOT_NS_OFFSET);
    }

    public int pid() {
        return u32(PROCESS_OFFSET + ProcessDescriptor.PID_OFFSET);
    }

    public int tid() {
        return u32(PROCESS_OFFSET + ProcessDescriptor.TID_OFFSET);
    }

    public int ppid() {
        return u32(PROCESS_OFFSET + ProcessDescriptor.PPID_OFFSET);
    }

    public long uid() {
        return Integer.toUnsignedLong(u32(PROCESS_OFFSET + ProcessDescriptor.UID_OFFSET));
    }

    public long gid() {
        return Integer.toUnsignedLong(u32(PROCESS_OFFSET + ProcessDescriptor.GID_OFFSET));
    }

    public long euid() {
        return Integer.toUnsignedLong(u32(PROCESS_OFFSET + ProcessDescriptor.EUID_OFFSET));
    }

    public long egid() {
        return Integer.toUnsignedLong(u32(PROCESS_OFFSET + ProcessDescriptor.EGID_OFFSET));
    }

    /** Tgid of the session leader (global pid namespace); /proc/PID/stat field 6. */
    public int sid() {
        return u32(PROCESS_OFFSET + ProcessDescriptor.SID_OFFSET);
    }

    /** Tgid of the process-group leader (global pid namespace); /proc/PID/stat field 5. */
    public int pgid() {
        return u32(PROCESS_OFFSET + ProcessDescriptor.PGID_OFFSET);
    }

    /**
     * The controlling terminal encoded as /proc/PID/stat's tty_nr (major in
     * bits 8-15, minor in bits 0-7 and 20-31), 0 when there is none.
     */
    public int tty() {
        return u32(PROCESS_OFFSET + ProcessDescriptor.TTY_OFFSET);
    }

    public int lineageRoot() {
        return u32(PROCESS_OFFSET + ProcessDescriptor.LINEAGE_ROOT_OFFSET);
    }

    public int lineageDepth() {
        return u32(PROCESS_OFFSET + ProcessDescriptor.LINEAGE_DEPTH_OFFSET);
    }

    public long cgroupId() {
        return segment.get(U64, offset + PROCESS_OFFSET + ProcessDescriptor.CGROUP_ID_OFFSET);
    }

    /** CLOCK_BOOTTIME nanoseconds when the process started; with pid() it names the process instance. */
    public long startBootNanos() {
        return segment.get(U64, offset + PROCESS_OFFSET + ProcessDescriptor.START_BOOT_NS_OFFSET);
    }

    /** The real parent's start time (CLOCK_BOOTTIME ns); with ppid() it names the parent instance. */
    public long parentStartBootNanos() {
        return segment.get(U64, offset + PROCESS_OFFSET + ProcessDescriptor.PARENT_START_BOOT_NS_OFFSET);
    }

    /** The lineage root's start time (CLOCK_BOOTTIME ns), 0 outside the lineage. */
    public long rootStartBootNanos() {
        return segment.get(U64, offset + PROCESS_OFFSET + ProcessDescriptor.ROOT_START_BOOT_NS_OFFSET);
    }

    /** ProcessDescriptor.MATCH_* bits. */
    public int match() {
        return u32(PROCESS_OFFSET + ProcessDescriptor.MATCH_OFFSET);
    }

    public SegmentText comm(SegmentText out) {
        return out.wrapCString(segment, offset + PROCESS_OFFSET + ProcessDescriptor.COMM_OFFSET,
                ProcessDescriptor.COMM_LENGTH);
    }

    public SegmentText parentComm(SegmentText out) {
        return out.wrapCString(segment, offset + PROCESS_OFFSET + ProcessDescriptor.PARENT_COMM_OFFSET,
                ProcessDescriptor.COMM_LENGTH);
    }

    protected final int u16(int field) {
        return Short.toUnsignedInt(segment.get(U16, offset + field));
    }

    protected final int u32(int field) {
        return segment.get(U32, offset + field);
    }
}
