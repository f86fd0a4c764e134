package io.spawnwatch.event;

/**
 * Layout of struct sw_fork_record (136 bytes): a lineage member started a
 * process. The process fields describe the child, which runs its parent's
 * program (and command line) until it execs.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * | struct sw_record_header                                       | 0
 * | struct sw_process (the child)                                 | 16
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class ForkRecordDescriptor {
    public static final int LENGTH = 136;

    private ForkRecordDescriptor() {}
}
