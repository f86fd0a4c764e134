package io.spawnwatch.incident;

/**
 * A web-server instance: the lineage root's pid and its start time in
 * nanoseconds since boot (0 while the sensor does not know it; two instances
 * with the same pid are then told apart only by the incidents' quiet gap).
 * Pid 0 holds the alerts of processes outside any known lineage.
 */
public record RootKey(int pid, long startBootNs) {}
