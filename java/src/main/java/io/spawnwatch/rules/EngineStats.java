package io.spawnwatch.rules;

import io.spawnwatch.rules.baseline.Baselines;
import java.util.List;

/**
 * Everything the status/stats API shows about detection.
 *
 * @param exceptions hits per operator exception
 * @param baselines per rule baseline: entries, bound and evictions
 * @param dedupEvictions suppression keys dropped under the bound (they alert again)
 * @param bounds the alert bounds and what they held back
 * @param busy the evaluation in progress when it has run longer than the slow bound, else null
 * @param learning the learning period of rarity and new-terms rules
 */
public record EngineStats(
        List<RuleStats> rules,
        List<ExceptionStats> exceptions,
        List<Baselines.TableStats> baselines,
        Baselines.StoreStats store,
        int dedupKeys,
        long dedupEvictions,
        AlertBounds bounds,
        Busy busy,
        LearningPeriod learning) {

    /**
     * The alert bounds (per window of event time) and the alerts they held back since start.
     *
     * @param serverEvictions web servers forgotten under the tracking bound
     */
    public record AlertBounds(int perRule, int perWebServer, java.time.Duration window, long heldByRule,
            long heldByWebServer, long serverEvictions) {}

    /**
     * A rule whose detection has been running on one event for {@code forNanos}:
     * the reader thread is stuck or slow there, and every later event waits.
     */
    public record Busy(String ruleId, long forNanos) {}

    /** How often one exception suppressed an alert. */
    public record ExceptionStats(String id, long hits) {}
}
