package io.spawnwatch.rules;

/**
 * One rule's counters since the sensor started: how many events it looked at,
 * how many matched its detection, and where the matches went.
 * {@code matched = suppressedByException + suppressedByRarity +
 * suppressedByNewTerms + suppressedByLearning + suppressedByDedup + heldBack + alerted}.
 *
 * @param heldBack matches over the alert bounds (per rule, per web server), sent as a count in a summary alert
 * @param slowEvaluations evaluations of the detection that took longer than {@link RuleEngine#SLOW_EVALUATION_NANOS}
 * @param slowestNanos the longest single evaluation of the detection, in nanoseconds
 */
public record RuleStats(
        String id,
        String title,
        String level,
        boolean enabled,
        long evaluated,
        long matched,
        long suppressedByException,
        long suppressedByRarity,
        long suppressedByNewTerms,
        long suppressedByLearning,
        long suppressedByDedup,
        long alerted,
        long heldBack,
        long slowEvaluations,
        long slowestNanos,
        String source) {}
