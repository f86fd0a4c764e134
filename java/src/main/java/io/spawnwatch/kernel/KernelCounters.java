package io.spawnwatch.kernel;

import io.spawnwatch.error.BpfException;
import io.spawnwatch.libbpf.BpfMap;
import io.spawnwatch.libbpf.BpfObject;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the kernel's per-CPU counters (enum sw_counter in bpf/spawnwatch.h)
 * and sums them over CPUs. The drop counters are how a lost record becomes
 * visible: every failed ring-buffer reserve lands in one of them.
 */
public final class KernelCounters {
    /** Names in enum sw_counter order. */
    public static final String[] NAMES = {
        "exec_seen", "exec_sent", "connect_seen", "connect_sent", "lineage_added", "lineage_add_failed",
        "drop_exec_ringbuf_full", "drop_connect_ringbuf_full",
    };

    /** Names in enum sw_vis_counter order (map "vis_counters": files, UDP, DNS, privilege). */
    public static final String[] VIS_NAMES = {
        "file_lineage", "file_sent", "drop_file_ringbuf_full", "udp_sent", "udp_repeats",
        "drop_udp_ringbuf_full", "dns_sent", "drop_dns_ringbuf_full", "privilege_sent",
        "drop_privilege_ringbuf_full", "drop_privilege_pending_full",
    };

    private final BpfMap counters;
    private final BpfMap visCounters;
    private final int cpus;

    public KernelCounters(KernelProbes probes) throws BpfException {
        this.counters = probes.map("counters");
        this.visCounters = probes.map("vis_counters");
        this.cpus = BpfObject.possibleCpus();
    }

    /** Every counter, summed over CPUs, in enum order. */
    public Map<String, Long> read() throws BpfException {
        Map<String, Long> out = new LinkedHashMap<>();
        readInto(counters, NAMES, out);
        readInto(visCounters, VIS_NAMES, out);
        return out;
    }

    private void readInto(BpfMap map, String[] names, Map<String, Long> out) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment values = arena.allocate(8L * cpus);
            for (int i = 0; i < names.length; i++) {
                key.set(ValueLayout.JAVA_INT, 0, i);
                long sum = 0;
                if (map.lookup(key, values)) {
                    for (int cpu = 0; cpu < cpus; cpu++) {
                        sum += values.getAtIndex(ValueLayout.JAVA_LONG, cpu);
                    }
                }
                out.put(names[i], sum);
            }
        }
    }

    /** Records the kernel could not send, all reasons together. */
    public static long drops(Map<String, Long> counters) {
        long drops = 0;
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            if (e.getKey().startsWith("drop_")) {
                drops += e.getValue();
            }
        }
        return drops;
    }
}
