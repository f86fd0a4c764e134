package io.spawnwatch.kernel;

import io.spawnwatch.error.BpfException;
import io.spawnwatch.libbpf.BpfMap;
import io.spawnwatch.libbpf.BpfObject;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads the kernel's per-CPU counters (enum sw_counter in bpf/spawnwatch.h)
 * and sums them over CPUs. The drop counters are how a lost record becomes
 * visible: every failed ring-buffer reserve lands in one of them.
 */
public final class KernelCounters {
    /** Every kernel counter at one moment, summed over CPUs. */
    public record Snapshot(long[] values) {
        public Snapshot {
            if (values.length != KernelCounter.values().length) {
                throw new IllegalArgumentException("kernel counters: values=" + values.length + ", expected "
                        + KernelCounter.values().length);
            }
            values = values.clone();
        }

        public long get(KernelCounter c) {
            return values[c.ordinal()];
        }

        /** Records the kernel could not send, all reasons together. */
        public long drops() {
            long drops = 0;
            for (KernelCounter c : KernelCounter.values()) {
                if (c.isDrop()) {
                    drops += get(c);
                }
            }
            return drops;
        }

        /** "exec_seen=1 exec_sent=1 ...", for the log. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (KernelCounter c : KernelCounter.values()) {
                sb.append(sb.isEmpty() ? "" : " ").append(c.label()).append('=').append(get(c));
            }
            return sb.toString();
        }
    }

    private final BpfMap counters;
    private final BpfMap visCounters;
    private final int cpus;

    public KernelCounters(KernelProbes probes) throws BpfException {
        this.counters = probes.map("counters");
        this.visCounters = probes.map(KernelCounter.VIS_MAP);
        this.cpus = BpfObject.possibleCpus();
    }

    /** Every counter, summed over CPUs. */
    public Snapshot read() throws BpfException {
        KernelCounter[] all = KernelCounter.values();
        long[] out = new long[all.length];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment values = arena.allocate(8L * cpus);
            for (int i = 0; i < all.length; i++) {
                key.set(ValueLayout.JAVA_INT, 0, all[i].index());
                long sum = 0;
                if ((all[i].visibility() ? visCounters : counters).lookup(key, values)) {
                    for (int cpu = 0; cpu < cpus; cpu++) {
                        sum += values.getAtIndex(ValueLayout.JAVA_LONG, cpu);
                    }
                }
                out[i] = sum;
            }
        }
        return new Snapshot(out);
    }
}
