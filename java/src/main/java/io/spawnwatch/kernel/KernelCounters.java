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
        "drop_exec_ringbuf_full", "drop_connect_ringbuf_full", "fork_sent", "drop_fork_ringbuf_full",
        "listen_seen", "listen_sent", "drop_listen_ringbuf_full", "exec_read_failed",
    };

    private final BpfMap counters;
    private final int cpus;

    public KernelCounters(KernelProbes probes) throws BpfException {
        this.counters = probes.map("counters");
        this.cpus = BpfObject.possibleCpus();
    }

    /** Every counter, summed over CPUs, in enum order. */
    public Map<String, Long> read() throws BpfException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment values = arena.allocate(8L * cpus);
            for (int i = 0; i < NAMES.length; i++) {
                key.set(ValueLayout.JAVA_INT, 0, i);
                long sum = 0;
                if (counters.lookup(key, values)) {
                    for (int cpu = 0; cpu < cpus; cpu++) {
                        sum += values.getAtIndex(ValueLayout.JAVA_LONG, cpu);
                    }
                }
                out.put(NAMES[i], sum);
            }
        }
        return out;
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
