package io.spawnwatch.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.spawnwatch.incident.IncidentConfig;
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
        @JsonProperty("output") Output output,
        @JsonProperty("outputs") List<OutputConfig> outputs,
        @JsonProperty("files") Files files,
        @JsonProperty("incidents") IncidentConfig incidents) {

    /**
     * Which paths a write by the web lineage is reported for (the kernel
     * filters on them): prefixes of writable directories, persistence
     * locations (files or directories) and web roots (scripts only, by
     * extension), and base names of persistence files anywhere.
     */
    public record Files(
            @JsonProperty("writable_dirs") List<String> writableDirs,
            @JsonProperty("persistence_paths") List<String> persistencePaths,
            @JsonProperty("persistence_names") List<String> persistenceNames,
            @JsonProperty("web_roots") List<String> webRoots,
            @JsonProperty("script_extensions") List<String> scriptExtensions) {}

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
        return new SensorConfig(webServers, kernel, enrichment, control, rules, d, output, outputs, files, incidents);
    }

    /** A copy with other control settings. */
    public SensorConfig withControl(Control c) {
        return new SensorConfig(webServers, kernel, enrichment, c, rules, detection, output, outputs, files, incidents);
    }

    /** A copy with other outputs. */
    public SensorConfig withOutputs(List<OutputConfig> o) {
        return new SensorConfig(webServers, kernel, enrichment, control, rules, detection, output, o, files, incidents);
    }

    /** A copy with other watched paths. */
    public SensorConfig withFiles(Files f) {
        return new SensorConfig(webServers, kernel, enrichment, control, rules, detection, output, outputs, f, incidents);
    }

    /** A copy with other rule files. */
    public SensorConfig withRules(Rules r) {
        return new SensorConfig(webServers, kernel, enrichment, control, r, detection, output, outputs, files, incidents);
    }

    /** A copy with other incident settings. */
    public SensorConfig withIncidents(IncidentConfig i) {
        return new SensorConfig(webServers, kernel, enrichment, control, rules, detection, output, outputs, files, i);
    }
}
