package io.spawnwatch.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.spawnwatch.rules.model.DetectionConfig;
import java.util.List;

/**
 * The sensor's configuration, bound from YAML (default.yml embedded in the
 * jar, overridden key by key by the file given with --config).
 */
public record SensorConfig(
        @JsonProperty("webservers") WebServers webServers,
        @JsonProperty("kernel") Kernel kernel,
        @JsonProperty("enrichment") Enrichment enrichment,
        @JsonProperty("control") Control control,
        @JsonProperty("rules") Rules rules,
        @JsonProperty("detection") DetectionConfig detection,
        @JsonProperty("output") Output output) {

    /** What the kernel filter follows. */
    public record WebServers(
            @JsonProperty("names") List<String> names,
            @JsonProperty("uids") List<Long> uids,
            @JsonProperty("users") List<String> users,
            @JsonProperty("interpreters") List<String> interpreters,
            @JsonProperty("server_command_lines") List<String> serverCommandLines) {}

    public record Kernel(
            @JsonProperty("ring_buffer_bytes") int ringBufferBytes,
            @JsonProperty("lineage_entries") int lineageEntries) {}

    public record Enrichment(@JsonProperty("process_table_entries") int processTableEntries) {}

    /** Which rule files to load. */
    public record Rules(
            @JsonProperty("builtin") boolean builtin,
            @JsonProperty("paths") List<String> paths,
            @JsonProperty("exceptions") String exceptions) {}

    public record Control(
            @JsonProperty("socket") String socket,
            @JsonProperty("allowed_uids") List<Long> allowedUids,
            @JsonProperty("allowed_gids") List<Long> allowedGids,
            @JsonProperty("socket_group") Long socketGroup) {}

    /**
     * The stdout and --output sinks.
     *
     * @param queueDocuments documents each sink queues before it drops (and counts) more
     * @param fileGroup      a gid that owns the --output file, then mode 0640; null: root's, mode 0600
     */
    public record Output(
            @JsonProperty("queue_documents") int queueDocuments,
            @JsonProperty("file_group") Long fileGroup) {}

    /** A copy with other detection settings (tests on loopback change the ranges). */
    public SensorConfig withDetection(DetectionConfig d) {
        return new SensorConfig(webServers, kernel, enrichment, control, rules, d, output);
    }

    /** A copy with other control settings. */
    public SensorConfig withControl(Control c) {
        return new SensorConfig(webServers, kernel, enrichment, c, rules, detection, output);
    }

    /** A copy with other rule files. */
    public SensorConfig withRules(Rules r) {
        return new SensorConfig(webServers, kernel, enrichment, control, r, detection, output);
    }
}
