package io.spawnwatch.output.kafka;

import io.spawnwatch.output.DocumentKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * One Kafka output as configured ({@code outputs: - type: kafka}), and the producer properties it makes.
 *
 * @param origin           where it was configured, for messages: "outputs[0]"
 * @param bootstrapServers "host:port,host:port"
 * @param clientId         the producer's client.id (brokers log and quota by it)
 * @param topics           the topic for each document kind this output takes
 * @param queueDocuments   the sink's queue, in documents
 * @param bufferBytes      the producer's buffer.memory, in bytes: what is held while brokers are unreachable
 * @param deliveryTimeout  delivery.timeout.ms: how long a record is retried before it counts as undelivered
 * @param maxBlock         max.block.ms: how long the writer waits for metadata or buffer space per document
 * @param compression      none, gzip or lz4
 * @param tls              null for plaintext
 * @param sasl             null without SASL
 * @param extra            any other producer settings, as Kafka names them (applied last, except those that
 *                         would break the guarantees: see {@link #producerProperties})
 */
public record KafkaOutputSettings(String origin, String bootstrapServers, String clientId,
        Map<DocumentKind, String> topics, int queueDocuments, long bufferBytes, Duration deliveryTimeout,
        Duration maxBlock, String compression, Tls tls, Sasl sasl, Map<String, String> extra) {

    /**
     * TLS to the brokers, PEM files.
     *
     * @param caFile          CA certificates that sign the brokers' certificates (null: the JDK's trust store)
     * @param clientPemFile   for mutual TLS: this client's private key and certificate chain in one PEM file
     * @param verifyHostname  check the broker's name against its certificate (https), as Kafka does by default
     */
    public record Tls(Path caFile, Path clientPemFile, boolean verifyHostname) {}

    /**
     * SASL authentication (over TLS when {@code tls} is set: SASL_SSL, else SASL_PLAINTEXT).
     *
     * @param mechanism    PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
     * @param passwordFile a root-only file whose first line is the password (kept out of the configuration)
     */
    public record Sasl(String mechanism, String username, Path passwordFile) {}

    public KafkaOutputSettings {
        topics = Map.copyOf(topics);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /**
     * The producer's properties: idempotent, acks=all, bounded buffer and retries as configured, TLS and SASL.
     * {@code extra} cannot turn off idempotence or acks=all (the no-loss, no-duplicate guarantee).
     *
     * @throws IllegalArgumentException when the SASL password file cannot be read (message names it)
     */
    public Properties producerProperties() {
        Properties p = new Properties();
        p.putAll(extra);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(bufferBytes));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeout.toMillis()));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock.toMillis()));
        // request.timeout.ms must stay below delivery.timeout.ms (Kafka refuses the config otherwise).
        long request = Math.min(30_000, Math.max(1_000, deliveryTimeout.toMillis() / 2));
        p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(request));
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        // Reconnect quickly after a broker restart, but back off to 5 s while it stays down.
        p.putIfAbsent(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        String protocol = tls != null ? "SSL" : "PLAINTEXT";
        if (tls != null) {
            if (tls.caFile() != null) {
                p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
                p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.caFile().toString());
            }
            if (tls.clientPemFile() != null) {
                p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
                p.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, tls.clientPemFile().toString());
            }
            p.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, tls.verifyHostname() ? "https" : "");
        }
        if (sasl != null) {
            protocol = "SASL_" + protocol;
            p.put(SaslConfigs.SASL_MECHANISM, sasl.mechanism());
            String module = sasl.mechanism().equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + jaasEscape(sasl.username())
                    + "\" password=\"" + jaasEscape(password(sasl.passwordFile())) + "\";");
        }
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        return p;
    }

    private String password(Path file) {
        try {
            String text = Files.readString(file);
            int nl = text.indexOf('\n');
            return nl < 0 ? text : text.substring(0, nl);
        } catch (IOException e) {
            throw new IllegalArgumentException(origin + ".sasl.password_file " + file + ": cannot read: "
                    + e.getMessage(), e);
        }
    }

    private static String jaasEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
