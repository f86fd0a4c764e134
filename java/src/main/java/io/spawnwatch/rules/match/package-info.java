/**
 * Compiled matchers: the hot path. Every class here evaluates over
 * {@link io.spawnwatch.event.EventView} without allocating; a regex is used
 * only where a rule says {@code re}.
 */
package io.spawnwatch.rules.match;
