package io.spawnwatch.rules.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A rule's counters and enabled flag. Kept by rule id across reloads, so the
 * stats of a rule survive an edit of its file. Incremented on the evaluating
 * thread, read by the stats API.
 */
public final class RuleCounters {
    public final AtomicLong evaluated = new AtomicLong();
    public final AtomicLong matched = new AtomicLong();
    public final AtomicLong suppressedByException = new AtomicLong();
    public final AtomicLong suppressedByRarity = new AtomicLong();
    public final AtomicLong suppressedByNewTerms = new AtomicLong();
    /** Matches of rarity and new-terms rules held back during the learning period. */
    public final AtomicLong suppressedByLearning = new AtomicLong();
    public final AtomicLong suppressedByDedup = new AtomicLong();
    public final AtomicLong alerted = new AtomicLong();
    /** Matches held back by the per-rule or per-web-server alert bound (counted in a summary alert). */
    public final AtomicLong heldBack = new AtomicLong();
    /** Evaluations of this rule's detection that took longer than the engine's slow bound. */
    public final AtomicLong slowEvaluations = new AtomicLong();
    /** The longest single evaluation of this rule's detection, in nanoseconds. */
    public final AtomicLong slowestNanos = new AtomicLong();
    public volatile boolean enabled = true;
}
