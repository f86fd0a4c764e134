package io.spawnwatch.rules;

import io.spawnwatch.rules.baseline.Baselines;
import java.util.List;

/**
 * Everything the status/stats API shows about detection.
 *
 * @param exceptions hits per operator exception
 * @param baselines per rule baseline: entries, bound and evictions
 * @param dedupEvictions suppression keys dropped under the bound (they alert again)
 * @param learning the learning period of rarity and new-terms rules
 */
public record EngineStats(
        List<RuleStats> rules,
        List<ExceptionStats> exceptions,
        List<Baselines.TableStats> baselines,
        Baselines.StoreStats store,
        int dedupKeys,
        long dedupEvictions,
        LearningPeriod learning) {

    /** How often one exception suppressed an alert. */
    public record ExceptionStats(String id, long hits) {}
}
