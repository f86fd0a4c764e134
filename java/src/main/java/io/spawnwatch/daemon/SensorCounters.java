package io.spawnwatch.daemon;

import io.spawnwatch.enrich.SlowReads;
import io.spawnwatch.kernel.KernelCounters;
import io.spawnwatch.output.SinkStats;
import io.spawnwatch.pipeline.PipelineStats;
import io.spawnwatch.ring.RingStats;
import java.util.Map;

/**
 * Every counter of a running sensor at one moment, typed: what {@code status}, {@code stats} and the periodic
 * log line show.
 *
 * @param kernel                 the BPF program's counters, summed over CPUs
 * @param ring                   the ring reader's
 * @param pipeline               the event pipeline's (decode included)
 * @param enrichment             the /proc slow path's
 * @param processTableEvictions  process-table slots reused while holding another process
 * @param sinks                  each output's, by sink name, in configuration order
 */
public record SensorCounters(KernelCounters.Snapshot kernel, RingStats ring, PipelineStats pipeline,
        SlowReads.Stats enrichment, long processTableEvictions, Map<String, SinkStats> sinks) {

    public SensorCounters {
        sinks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sinks));
    }

    /** Records lost in the kernel (failed ring reserves). */
    public long kernelDrops() {
        return kernel.drops();
    }

    /**
     * Records or documents lost in user space, all reasons: invalid ring headers, handler errors, records the
     * decoder refused, rule and rendering errors, and documents a sink dropped or failed to write.
     */
    public long userDrops() {
        long drops = ring.invalidRecords() + ring.handlerErrors() + pipeline.decode().rejected()
                + pipeline.ruleErrors() + pipeline.renderErrors();
        for (SinkStats s : sinks.values()) {
            drops += s.dropped() + s.errors();
        }
        return drops;
    }
}
