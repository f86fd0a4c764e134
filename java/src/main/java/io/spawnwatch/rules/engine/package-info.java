/** The engine's internals: compiled rule sets swapped atomically, and per-rule counters kept across reloads. */
package io.spawnwatch.rules.engine;
