package io.spawnwatch.output;

/** Counters of one sink; all monotonic except queued. */
public record SinkStats(long offered, long written, long dropped, long errors, int queued) {}
