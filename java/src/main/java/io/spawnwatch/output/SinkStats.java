package io.spawnwatch.output;

/**
 * Counters of one sink, as {@code status} and {@code stats} show them. All are monotonic since the sink
 * opened, except {@code queued}. {@code offered == written + dropped + errors + queued} once the sink is idle
 * (a document being written counts as none of them until the write returns).
 *
 * @param offered documents offered to the sink (of a kind it wants)
 * @param written documents written whole
 * @param dropped documents dropped unwritten: the queue was full, or close() gave up waiting for them
 * @param errors  documents whose write failed (e.g. a full filesystem, a closed pipe); none is half-written
 * @param queued  documents waiting in the queue now
 */
public record SinkStats(long offered, long written, long dropped, long errors, int queued) {}
