package io.spawnwatch.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The sensor's configuration, bound from YAML (default.yml embedded in the
 * jar, overridden key by key by the file given with --config).
 */
public record SensorConfig(
        @JsonProperty("webservers") WebServers webServers,
        @JsonProperty("kernel") Kernel kernel,
        @JsonProperty("enrichment") Enrichment enrichment,
        @JsonProperty("control") Control control) {

    /** What the kernel filter follows. */
    public record WebServers(
            @JsonProperty("names") List<String> names,
            @JsonProperty("uids") List<Long> uids,
            @JsonProperty("users") List<String> users) {}

    public record Kernel(
            @JsonProperty("ring_buffer_bytes") int ringBufferBytes,
            @JsonProperty("lineage_entries") int lineageEntries) {}

    public record Enrichment(@JsonProperty("process_table_entries") int processTableEntries) {}

    public record Control(
            @JsonProperty("socket") String socket,
            @JsonProperty("allowed_uids") List<Long> allowedUids,
            @JsonProperty("allowed_gids") List<Long> allowedGids) {}
}
