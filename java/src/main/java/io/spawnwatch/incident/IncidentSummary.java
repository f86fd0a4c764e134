package io.spawnwatch.incident;

import io.spawnwatch.rules.model.RuleLevel;
import java.time.Instant;

/**
 * One incident as {@code spawnwatch incidents} lists it.
 *
 * @param id the store's number for it, stable across restarts
 * @param rootPid the web server (lineage root) pid; 0 when unknown
 * @param rootStartBootNs its start, ns since boot; 0 when unknown
 * @param rootName its process name (e.g. php-fpm8.2), or null
 * @param rootExecutable its executable, or null
 * @param first @timestamp of the earliest document kept, ISO-8601 (UTC)
 * @param last @timestamp of the latest document kept, ISO-8601 (UTC)
 * @param firstAlert @timestamp of the first alert, ISO-8601
 * @param lastAlert @timestamp of the last alert, ISO-8601
 * @param severity the highest ECS event.severity of its alerts (21 low, 47
 *     medium, 73 high, 99 critical)
 * @param level the Sigma level of that severity ("high")
 * @param processes processes with at least one document kept
 * @param alerts alert documents kept
 * @param connections connection events kept (event.category network)
 * @param documents documents kept (events and alerts)
 * @param documentsDropped documents of this incident not kept: past
 *     incidents.max_documents_per_incident
 * @param bytes size of the kept documents, bytes of UTF-8 JSON
 */
public record IncidentSummary(long id, int rootPid, long rootStartBootNs, String rootName, String rootExecutable,
        String first, String last, String firstAlert, String lastAlert, int severity, String level, long processes,
        long alerts, long connections, long documents, long documentsDropped, long bytes) {

    /** ISO-8601 of epoch nanoseconds. */
    static String iso(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L)).toString();
    }

    /** The Sigma level of the highest {@link RuleLevel} whose ECS severity is at most {@code severity}. */
    public static String level(int severity) {
        RuleLevel level = RuleLevel.INFORMATIONAL;
        for (RuleLevel l : RuleLevel.values()) {
            if (l.severity() <= severity) {
                level = l;
            }
        }
        return level.sigmaName();
    }
}
