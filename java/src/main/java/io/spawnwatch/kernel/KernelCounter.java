package io.spawnwatch.kernel;

/**
 * The kernel's per-CPU counters, in enum sw_counter order (bpf/spawnwatch.h): the ordinal is the index in the
 * "counters" map. Add a constant here when the header adds a counter; {@link #name} is what stats and logs show.
 */
public enum KernelCounter {
    EXEC_SEEN("exec_seen"),
    EXEC_SENT("exec_sent"),
    CONNECT_SEEN("connect_seen"),
    CONNECT_SENT("connect_sent"),
    LINEAGE_ADDED("lineage_added"),
    LINEAGE_ADD_FAILED("lineage_add_failed"),
    DROP_EXEC_RINGBUF_FULL("drop_exec_ringbuf_full"),
    DROP_CONNECT_RINGBUF_FULL("drop_connect_ringbuf_full");

    private final String label;

    KernelCounter(String label) {
        this.label = label;
    }

    /** The counter's name in stats and logs (the C enum's, lower case, without the SW_CNT_ prefix). */
    public String label() {
        return label;
    }

    /** Whether it counts records the kernel could not send (SW_DROP_*). */
    public boolean isDrop() {
        return label.startsWith("drop_");
    }
}
