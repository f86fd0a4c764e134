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

    /**
     * What the kernel filter follows, and which processes become lineage
     * roots: names (a program, not a script, of that name), uids and users,
     * runtimes that listen on TCP, interpreters whose own arguments name a
     * server (inherited sockets); never: names that never become roots by
     * listening.
     */
    public record WebServers(
            @JsonProperty("names") List<String> names,
            @JsonProperty("uids") List<Long> uids,
            @JsonProperty("users") List<String> users,
            @JsonProperty("runtimes") List<String> runtimes,
            @JsonProperty("never") List<String> never,
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

    /**
     * A copy with some sections changed: {@code config.with(b -> b.detection = d)}. The one place that
     * copies every section: a new section is added here (a field, the copy, the build) and nowhere else.
     */
    public SensorConfig with(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** The sections of a configuration, to change some and build a copy ({@link #with}). */
    public static final class Builder {
        public WebServers webServers;
        public Kernel kernel;
        public Enrichment enrichment;
        public Control control;
        public Rules rules;
        public DetectionConfig detection;
        public Output output;
        public List<OutputConfig> outputs;
        public Files files;
        public IncidentConfig incidents;

        private Builder(SensorConfig c) {
            webServers = c.webServers;
            kernel = c.kernel;
            enrichment = c.enrichment;
            control = c.control;
            rules = c.rules;
            detection = c.detection;
            output = c.output;
            outputs = c.outputs;
            files = c.files;
            incidents = c.incidents;
        }

        private SensorConfig build() {
            return new SensorConfig(webServers, kernel, enrichment, control, rules, detection, output, outputs, files,
                    incidents);
        }
    }

    /** A copy with other detection settings (tests on loopback change the ranges). */
    public SensorConfig withDetection(DetectionConfig d) {
        return with(b -> b.detection = d);
    }

    /** A copy with other control settings. */
    public SensorConfig withControl(Control c) {
        return with(b -> b.control = c);
    }

    /** A copy with other outputs. */
    public SensorConfig withOutputs(List<OutputConfig> o) {
        return with(b -> b.outputs = o);
    }

    /** A copy with other watched paths. */
    public SensorConfig withFiles(Files f) {
        return with(b -> b.files = f);
    }

    /** A copy with other rule files. */
    public SensorConfig withRules(Rules r) {
        return with(b -> b.rules = r);
    }

    /** A copy with other incident settings. */
    public SensorConfig withIncidents(IncidentConfig i) {
        return with(b -> b.incidents = i);
    }
}
