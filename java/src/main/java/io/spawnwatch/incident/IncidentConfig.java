package io.spawnwatch.incident;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.spawnwatch.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code incidents} section: how alerts are grouped into incidents and
 * how much of them is kept (default.yml gives every default and its reason).
 *
 * @param enabled keep incidents at all (the store is a sink; off: no sink)
 * @param path the SQLite file; its directory is created mode 0700, the file
 *     0600; null keeps incidents in memory only (tests)
 * @param quietGap an alert this long after the previous alert of the same web
 *     server instance starts a new incident; events of the incident's
 *     processes are kept until the gap has passed
 * @param before how far back from the first alert the events of the alerted
 *     processes and their ancestors are taken in
 * @param maxAge incidents whose last alert is older are deleted
 * @param maxBytes the documents of all incidents together (UTF-8 bytes of the
 *     JSON lines); past it the oldest incidents are deleted, counted
 * @param maxIncidents incidents kept; past it the oldest are deleted, counted
 * @param maxDocumentsPerIncident documents (events and alerts) kept per
 *     incident; later ones are dropped, counted in the incident and in stats
 * @param lineages web-server instances (lineage roots) followed at once for
 *     the events before a first alert; the least recently active is
 *     forgotten, counted
 * @param recentDocuments events remembered per lineage root before its first
 *     alert (a ring: the oldest goes first)
 * @param recentBytes those remembered events of all lineage roots together,
 *     bytes of JSON; past it the least recently active root's oldest go first
 * @param queue documents waiting for the store's writer thread; past it they
 *     are dropped, counted in the sink's stats
 */
public record IncidentConfig(
        @JsonProperty("enabled") boolean enabled,
        @JsonProperty("path") String path,
        @JsonProperty("quiet_gap") @JsonDeserialize(using = Durations.Json.class) Duration quietGap,
        @JsonProperty("before") @JsonDeserialize(using = Durations.Json.class) Duration before,
        @JsonProperty("max_age") @JsonDeserialize(using = Durations.Json.class) Duration maxAge,
        @JsonProperty("max_bytes") long maxBytes,
        @JsonProperty("max_incidents") int maxIncidents,
        @JsonProperty("max_documents_per_incident") int maxDocumentsPerIncident,
        @JsonProperty("lineages") int lineages,
        @JsonProperty("recent_documents") int recentDocuments,
        @JsonProperty("recent_bytes") long recentBytes,
        @JsonProperty("queue") int queue) {

    /** Every problem, each naming its key under {@code incidents.}; empty when valid. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        positive(p, "quiet_gap", quietGap);
        if (before == null || before.isNegative()) {
            p.add("incidents.before: expected a duration of 0s or more, got " + shown(before));
        }
        positive(p, "max_age", maxAge);
        range(p, "max_bytes", maxBytes, 65_536, 1L << 40);
        range(p, "max_incidents", maxIncidents, 1, 1_000_000);
        range(p, "max_documents_per_incident", maxDocumentsPerIncident, 16, 1_000_000);
        range(p, "lineages", lineages, 1, 1_048_576);
        range(p, "recent_documents", recentDocuments, 0, 65_536);
        range(p, "recent_bytes", recentBytes, 0, 1L << 32);
        range(p, "queue", queue, 16, 1_048_576);
        if (path != null && !path.startsWith("/")) {
            p.add("incidents.path: expected an absolute path, got " + path);
        }
        return p;
    }

    /** A copy with another file (null: memory only). */
    public IncidentConfig withPath(String p) {
        return new IncidentConfig(enabled, p, quietGap, before, maxAge, maxBytes, maxIncidents,
                maxDocumentsPerIncident, lineages, recentDocuments, recentBytes, queue);
    }

    /** A copy with other bounds (tests of the flood bounds). */
    public IncidentConfig withBounds(long bytes, int incidents, int documentsPerIncident, int roots) {
        return new IncidentConfig(enabled, path, quietGap, before, maxAge, bytes, incidents, documentsPerIncident,
                roots, recentDocuments, recentBytes, queue);
    }

    /** A copy with another grouping gap and look-back. */
    public IncidentConfig withWindows(Duration gap, Duration lookBack) {
        return new IncidentConfig(enabled, path, gap, lookBack, maxAge, maxBytes, maxIncidents,
                maxDocumentsPerIncident, lineages, recentDocuments, recentBytes, queue);
    }

    private static void positive(List<String> p, String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            p.add("incidents." + key + ": expected a positive duration (e.g. 10m), got " + shown(d));
        }
    }

    /** "0s" as the user wrote it, not Java's "PT0S". */
    private static String shown(Duration d) {
        return d == null ? "nothing" : Durations.format(d);
    }

    private static void range(List<String> p, String key, long v, long min, long max) {
        if (v < min || v > max) {
            p.add("incidents." + key + ": expected " + min + " to " + max + ", got " + v);
        }
    }
}
