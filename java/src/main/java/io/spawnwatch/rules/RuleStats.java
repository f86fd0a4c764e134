package io.spawnwatch.rules;

/**
 * One rule's counters since the sensor started: how many events it looked at,
 * how many matched its detection, and where the matches went.
 * {@code matched = suppressedByException + suppressedByRarity +
 * suppressedByNewTerms + suppressedByLearning + suppressedByDedup + alerted}.
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
        String source) {}
