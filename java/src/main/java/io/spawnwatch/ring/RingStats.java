package io.spawnwatch.ring;

/**
 * User-side counters of one ring reader, for the {@code stats} command. Kernel
 * side losses (failed reserves) are counted by the BPF program, not here.
 *
 * @param deliveredRecords records handed to the handler
 * @param discardedRecords records the kernel discarded on purpose (not a loss)
 * @param handlerErrors    records whose handler threw (each one skipped)
 * @param invalidRecords   invalid record headers, each followed by a skip to the producer
 * @param skippedBytes     bytes skipped by those resynchronisations (lost events)
 * @param wakeups          epoll wake-ups of the poller thread
 */
public record RingStats(long deliveredRecords, long discardedRecords, long handlerErrors,
                        long invalidRecords, long skippedBytes, long wakeups) {}
