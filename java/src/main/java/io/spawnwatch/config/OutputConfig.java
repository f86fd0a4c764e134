package io.spawnwatch.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * One entry of the {@code outputs:} list: where documents go besides stdout or {@code --output}. Several at
 * once; each is a sink with its own bounded queue and counters (see {@code status} and {@code stats}). The
 * {@code type} key picks the kind; a key left out takes the default named in default.yml's comment.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = OutputConfig.Kafka.class, name = "kafka"),
    @JsonSubTypes.Type(value = OutputConfig.RotatingFile.class, name = "rotating_file")
})
public sealed interface OutputConfig permits OutputConfig.Kafka, OutputConfig.RotatingFile {

    /** Which documents: any of "alerts", "events", "fleet_candidates". */
    List<String> documents();

    /** Kafka (see io.spawnwatch.output.kafka.KafkaOutputSettings for what each key becomes). */
    record Kafka(
            @JsonProperty("bootstrap_servers") List<String> bootstrapServers,
            @JsonProperty("client_id") String clientId,
            @JsonProperty("documents") List<String> documents,
            @JsonProperty("topics") Topics topics,
            @JsonProperty("queue_documents") Integer queueDocuments,
            @JsonProperty("buffer_bytes") Long bufferBytes,
            @JsonProperty("delivery_timeout") String deliveryTimeout,
            @JsonProperty("max_block") String maxBlock,
            @JsonProperty("compression") String compression,
            @JsonProperty("tls") Tls tls,
            @JsonProperty("sasl") Sasl sasl,
            @JsonProperty("properties") Map<String, String> properties) implements OutputConfig {}

    record Topics(
            @JsonProperty("events") String events,
            @JsonProperty("alerts") String alerts,
            @JsonProperty("fleet_candidates") String fleetCandidates) {}

    record Tls(
            @JsonProperty("ca_file") String caFile,
            @JsonProperty("client_pem_file") String clientPemFile,
            @JsonProperty("verify_hostname") Boolean verifyHostname) {}

    record Sasl(
            @JsonProperty("mechanism") String mechanism,
            @JsonProperty("username") String username,
            @JsonProperty("password_file") String passwordFile) {}

    /** An NDJSON file rotated by size, older files gzipped (io.spawnwatch.output.rotating.RotatingFileSink). */
    record RotatingFile(
            @JsonProperty("path") String path,
            @JsonProperty("documents") List<String> documents,
            @JsonProperty("max_bytes") Long maxBytes,
            @JsonProperty("max_files") Integer maxFiles,
            @JsonProperty("gzip") Boolean gzip,
            @JsonProperty("queue_documents") Integer queueDocuments) implements OutputConfig {}
}
