/**
 * Rarity and new-terms state: bounded in memory (least recently seen keys
 * evicted and counted), keyed by 128-bit hashes, written behind to SQLite.
 * See the {@code io.spawnwatch.rules} package documentation for the bounds
 * and what a crash can lose.
 */
package io.spawnwatch.rules.baseline;
