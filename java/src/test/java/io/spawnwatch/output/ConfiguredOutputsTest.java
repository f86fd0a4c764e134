package io.spawnwatch.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.error.ConfigException;
import io.spawnwatch.output.kafka.KafkaOutputSettings;
import io.spawnwatch.output.rotating.RotatingFileSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outputs: section: what each entry becomes, and one line naming the key for each mistake. */
class ConfiguredOutputsTest {
    @TempDir
    Path dir;

    private SensorConfig load(String yaml) throws Exception {
        Path file = dir.resolve("spawnwatch.yml");
        Files.writeString(file, yaml.replace("DIR", dir.toString()));
        return ConfigLoader.load(file);
    }

    private String error(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage()
                .replace(dir.toString(), "DIR");
    }

    @Test
    void shouldHaveNoOutputsByDefault() throws Exception {
        assertEquals(List.of(), ConfigLoader.defaults().outputs());
    }

    @Test
    void shouldReadSeveralOutputsWithTheirDefaults() throws Exception {
        Files.writeString(dir.resolve("pw"), "s3cret\nignored\n");
        SensorConfig c = load("""
                outputs:
                  - type: kafka
                    bootstrap_servers: [k1:9093, k2:9093]
                    sasl: {mechanism: SCRAM-SHA-512, username: sensor, password_file: DIR/pw}
                  - type: rotating_file
                    path: DIR/alerts.ndjson
                    documents: [alerts, events]
                """);
        KafkaOutputSettings k = (KafkaOutputSettings) ConfiguredOutputs.resolve(0, c.outputs().get(0));
        assertEquals("k1:9093,k2:9093", k.bootstrapServers());
        assertEquals(Map.of(DocumentKind.ALERT, "spawnwatch.alerts", DocumentKind.FLEET_CANDIDATE,
                "spawnwatch.fleet-candidates"), k.topics());
        assertEquals(Duration.ofMinutes(10), k.deliveryTimeout());
        Properties p = k.producerProperties();
        assertEquals("true", p.get("enable.idempotence"));
        assertEquals("all", p.get("acks"));
        assertEquals("SASL_PLAINTEXT", p.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"sensor\""
                + " password=\"s3cret\";", p.get("sasl.jaas.config"));
        RotatingFileSink.Settings f = (RotatingFileSink.Settings) ConfiguredOutputs.resolve(1, c.outputs().get(1));
        assertEquals(new RotatingFileSink.Settings(dir.resolve("alerts.ndjson"), 100L << 20, 5, true,
                Set.of(DocumentKind.ALERT, DocumentKind.EVENT), 10_000), f);
    }

    @Test
    void shouldMapTlsToPemStoresAndKeepTheGuaranteesOverExtraProperties() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        SensorConfig c = load("""
                outputs:
                  - type: kafka
                    bootstrap_servers: [k1:9093]
                    tls: {ca_file: DIR/ca.pem}
                    properties: {acks: "0", enable.idempotence: "false", linger.ms: "5"}
                """);
        Properties p = ((KafkaOutputSettings) ConfiguredOutputs.resolve(0, c.outputs().get(0))).producerProperties();
        assertEquals("SSL", p.get("security.protocol"));
        assertEquals("PEM", p.get("ssl.truststore.type"));
        assertEquals(dir.resolve("ca.pem").toString(), p.get("ssl.truststore.location"));
        assertEquals("https", p.get("ssl.endpoint.identification.algorithm"));
        assertEquals("all", p.get("acks"));
        assertEquals("true", p.get("enable.idempotence"));
        assertEquals("5", p.get("linger.ms"));
    }

    @Test
    void shouldNameTheKeyOfEachMistake() {
        assertEquals("DIR/spawnwatch.yml:2: outputs[0].bootstrap_servers: expected host:port, got 'k1'",
                error("outputs:\n  - {type: kafka, bootstrap_servers: [k1]}\n"));
        assertEquals("DIR/spawnwatch.yml:2: outputs[0].compression: expected one of none, gzip, lz4, got 'zstd'",
                error("outputs:\n  - {type: kafka, bootstrap_servers: ['k:1'], compression: zstd}\n"));
        assertEquals("DIR/spawnwatch.yml:3: outputs[1].documents: expected alerts, events or fleet_candidates,"
                + " got 'alert'", error("outputs:\n  - {type: rotating_file, path: DIR/a}\n"
                + "  - {type: rotating_file, path: DIR/b, documents: [alert]}\n"));
        assertEquals("DIR/spawnwatch.yml:2: outputs[0].sasl.password_file: cannot read DIR/none",
                error("outputs:\n  - {type: kafka, bootstrap_servers: ['k:1'], sasl: {mechanism: PLAIN,"
                        + " username: u, password_file: DIR/none}}\n"));
        assertEquals("DIR/spawnwatch.yml:2: outputs[0].path: directory /no/such does not exist",
                error("outputs:\n  - {type: rotating_file, path: /no/such/a.ndjson}\n"));
        assertEquals("DIR/spawnwatch.yml:2: outputs[0].max_bytes: expected at least 4096, got 10",
                error("outputs:\n  - {type: rotating_file, path: DIR/a, max_bytes: 10}\n"));
    }

    @Test
    void shouldRefuseAnUnknownTypeOrKey() {
        assertEquals("DIR/spawnwatch.yml:2: outputs[0].type: expected one of kafka, rotating_file,"
                + " got 'syslog'", error("outputs:\n  - {type: syslog}\n"));
        String key = error("outputs:\n  - {type: kafka, bootstrap_server: ['k:1']}\n");
        assertEquals(true, key.startsWith("DIR/spawnwatch.yml:2: outputs[0].bootstrap_server: unknown key; known keys here are"), key);
    }
}
