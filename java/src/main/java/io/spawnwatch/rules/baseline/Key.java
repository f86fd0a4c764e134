package io.spawnwatch.rules.baseline;

/**
 * A 128-bit key standing for attacker-controlled values (command lines, paths)
 * of unbounded length: baselines store this, never the strings, so their
 * memory and disk use per entry is fixed.
 */
public record Key(long hi, long lo) {}
