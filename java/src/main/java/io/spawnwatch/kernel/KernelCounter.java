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
    DROP_CONNECT_RINGBUF_FULL("drop_connect_ringbuf_full"),

    // Visibility II: enum sw_vis_counter, in the map "vis_counters" (their own map, so that the
    // counters above never renumber); the second argument is the index there.
    FILE_LINEAGE("file_lineage", 0),
    FILE_SENT("file_sent", 1),
    DROP_FILE_RINGBUF_FULL("drop_file_ringbuf_full", 2),
    UDP_SENT("udp_sent", 3),
    UDP_REPEATS("udp_repeats", 4),
    DROP_UDP_RINGBUF_FULL("drop_udp_ringbuf_full", 5),
    DNS_SENT("dns_sent", 6),
    DROP_DNS_RINGBUF_FULL("drop_dns_ringbuf_full", 7),
    PRIVILEGE_SENT("privilege_sent", 8),
    DROP_PRIVILEGE_RINGBUF_FULL("drop_privilege_ringbuf_full", 9),
    DROP_PRIVILEGE_PENDING_FULL("drop_privilege_pending_full", 10);

    /** The map of the Visibility II counters (enum sw_vis_counter). */
    public static final String VIS_MAP = "vis_counters";

    private final String label;
    /** Index in "vis_counters", or -1 for the "counters" map (whose index is the position among those). */
    private final int visIndex;

    KernelCounter(String label) {
        this(label, -1);
    }

    KernelCounter(String label, int visIndex) {
        this.label = label;
        this.visIndex = visIndex;
    }

    /** Whether it lives in {@link #VIS_MAP} rather than "counters". */
    public boolean visibility() {
        return visIndex >= 0;
    }

    /** Its index in its own map. */
    public int index() {
        if (visIndex >= 0) {
            return visIndex;
        }
        int i = 0;
        for (KernelCounter c : values()) {
            if (c == this) {
                return i;
            }
            if (!c.visibility()) {
                i++;
            }
        }
        throw new AssertionError(this);
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
