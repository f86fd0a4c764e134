package io.spawnwatch.output;

import io.spawnwatch.config.OutputConfig;
import io.spawnwatch.error.ConfigException;
import io.spawnwatch.output.kafka.KafkaOutputSettings;
import io.spawnwatch.output.kafka.KafkaSink;
import io.spawnwatch.output.rotating.RotatingFileSink;
import io.spawnwatch.time.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sinks of the configuration's {@code outputs:} list: checks each entry (every problem names its key, e.g.
 * {@code outputs[1].max_files}) and opens them. Defaults for keys left out are here, and in default.yml's
 * comment.
 */
public final class ConfiguredOutputs {
    static final int DEFAULT_QUEUE = 10_000;
    static final long DEFAULT_BUFFER_BYTES = 32L << 20;
    static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofMinutes(10);
    static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(60);
    static final long DEFAULT_FILE_BYTES = 100L << 20;
    static final int DEFAULT_FILES = 5;
    static final Set<String> SASL_MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    static final Set<String> COMPRESSIONS = Set.of("none", "gzip", "lz4");

    private ConfiguredOutputs() {}

    /** Every problem with the list; empty when all entries can open. */
    public static List<String> problems(List<OutputConfig> outputs) {
        List<String> problems = new ArrayList<>();
        if (outputs == null) {
            problems.add("outputs: expected a list of outputs (each a map with a type: kafka or rotating_file)");
            return problems;
        }
        for (int i = 0; i < outputs.size(); i++) {
            try {
                resolve(i, outputs.get(i));
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    /**
     * Opens every configured output; on a failure, closes those already open.
     *
     * @param hostKey the Kafka record key: this host's id
     * @throws ConfigException naming the entry and what is wrong
     */
    public static List<Sink> open(List<OutputConfig> outputs, String hostKey) throws ConfigException {
        List<Sink> sinks = new ArrayList<>();
        try {
            for (int i = 0; i < outputs.size(); i++) {
                Object settings = resolve(i, outputs.get(i));
                String origin = "outputs[" + i + "]";
                try {
                    sinks.add(switch (settings) {
                        case KafkaOutputSettings k -> new KafkaSink(k, hostKey);
                        case RotatingFileSink.Settings f -> new RotatingFileSink(f);
                        default -> throw new IllegalStateException("unknown output " + settings);
                    });
                } catch (IOException e) {
                    throw new ConfigException(origin + ": cannot open: " + e.getMessage(), e);
                } catch (org.apache.kafka.common.KafkaException | IllegalArgumentException e) {
                    throw new ConfigException(origin + ": " + e.getMessage(), e);
                }
            }
        } catch (ConfigException | RuntimeException e) {
            sinks.forEach(Sink::close);
            throw e;
        }
        return sinks;
    }

    /**
     * This host's id, the key of its Kafka records: {@code host.id} as ECS and Elastic Agent have it, systemd's
     * /etc/machine-id; the kernel's host name where there is none.
     */
    public static String hostKey() {
        try {
            String id = Files.readString(Path.of("/etc/machine-id")).strip();
            if (id.matches("[0-9a-f]{32}")) {
                return id;
            }
        } catch (IOException e) {
            // no machine-id: a container without the host's /etc, a minimal system
        }
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The entry's settings (KafkaOutputSettings or RotatingFileSink.Settings), or why not. */
    static Object resolve(int index, OutputConfig c) throws ConfigException {
        String at = "outputs[" + index + "]";
        if (c == null) {
            throw new ConfigException(at + ": expected a map with a type: kafka or rotating_file");
        }
        return switch (c) {
            case OutputConfig.Kafka k -> kafka(at, k);
            case OutputConfig.RotatingFile f -> rotatingFile(at, f);
        };
    }

    private static KafkaOutputSettings kafka(String at, OutputConfig.Kafka k) throws ConfigException {
        if (k.bootstrapServers() == null || k.bootstrapServers().isEmpty()) {
            throw new ConfigException(at + ".bootstrap_servers: expected a list of host:port");
        }
        for (String s : k.bootstrapServers()) {
            if (s == null || !s.matches("[^\\s:,]+:\\d{1,5}")) {
                throw new ConfigException(at + ".bootstrap_servers: expected host:port, got '" + s + "'");
            }
        }
        Set<DocumentKind> kinds = kinds(at, k.documents(), EnumSet.of(DocumentKind.ALERT,
                DocumentKind.FLEET_CANDIDATE));
        OutputConfig.Topics t = k.topics() == null ? new OutputConfig.Topics(null, null, null) : k.topics();
        Map<DocumentKind, String> topics = new EnumMap<>(DocumentKind.class);
        for (DocumentKind kind : kinds) {
            String name = switch (kind) {
                case EVENT -> or(t.events(), "spawnwatch.events");
                case ALERT -> or(t.alerts(), "spawnwatch.alerts");
                case FLEET_CANDIDATE -> or(t.fleetCandidates(), "spawnwatch.fleet-candidates");
            };
            if (!name.matches("[a-zA-Z0-9._-]{1,249}")) {
                throw new ConfigException(at + ".topics." + documentName(kind)
                        + ": expected a Kafka topic name (letters, digits, '.', '_', '-'), got '" + name + "'");
            }
            topics.put(kind, name);
        }
        int queue = positive(at + ".queue_documents", k.queueDocuments(), DEFAULT_QUEUE);
        long buffer = k.bufferBytes() == null ? DEFAULT_BUFFER_BYTES : k.bufferBytes();
        if (buffer < 1 << 20) {
            throw new ConfigException(at + ".buffer_bytes: expected at least 1048576, got " + buffer);
        }
        Duration delivery = duration(at + ".delivery_timeout", k.deliveryTimeout(), DEFAULT_DELIVERY_TIMEOUT);
        Duration block = duration(at + ".max_block", k.maxBlock(), DEFAULT_MAX_BLOCK);
        String compression = or(k.compression(), "lz4");
        if (!COMPRESSIONS.contains(compression)) {
            throw new ConfigException(at + ".compression: expected one of none, gzip, lz4, got '" + compression
                    + "'");
        }
        KafkaOutputSettings.Tls tls = null;
        if (k.tls() != null) {
            tls = new KafkaOutputSettings.Tls(readable(at + ".tls.ca_file", k.tls().caFile()),
                    readable(at + ".tls.client_pem_file", k.tls().clientPemFile()),
                    k.tls().verifyHostname() == null || k.tls().verifyHostname());
        }
        KafkaOutputSettings.Sasl sasl = null;
        if (k.sasl() != null) {
            String mechanism = k.sasl().mechanism();
            if (mechanism == null || !SASL_MECHANISMS.contains(mechanism)) {
                throw new ConfigException(at + ".sasl.mechanism: expected PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got '"
                        + mechanism + "'");
            }
            if (k.sasl().username() == null || k.sasl().username().isEmpty()) {
                throw new ConfigException(at + ".sasl.username: expected a user name");
            }
            Path pw = readable(at + ".sasl.password_file", k.sasl().passwordFile());
            if (pw == null) {
                throw new ConfigException(at + ".sasl.password_file: expected a file holding the password");
            }
            sasl = new KafkaOutputSettings.Sasl(mechanism, k.sasl().username(), pw);
        }
        return new KafkaOutputSettings(at, String.join(",", k.bootstrapServers()), or(k.clientId(), "spawnwatch"),
                topics, queue, buffer, delivery, block, compression, tls, sasl, k.properties());
    }

    private static RotatingFileSink.Settings rotatingFile(String at, OutputConfig.RotatingFile f)
            throws ConfigException {
        if (f.path() == null || !f.path().startsWith("/")) {
            throw new ConfigException(at + ".path: expected an absolute file path, got " + f.path());
        }
        Path p = Path.of(f.path());
        if (p.getParent() == null || !Files.isDirectory(p.getParent())) {
            throw new ConfigException(at + ".path: directory " + p.getParent() + " does not exist");
        }
        long maxBytes = f.maxBytes() == null ? DEFAULT_FILE_BYTES : f.maxBytes();
        if (maxBytes < 4096) {
            throw new ConfigException(at + ".max_bytes: expected at least 4096, got " + maxBytes);
        }
        int files = positive(at + ".max_files", f.maxFiles(), DEFAULT_FILES);
        return new RotatingFileSink.Settings(p, maxBytes, files, f.gzip() == null || f.gzip(),
                kinds(at, f.documents(), EnumSet.of(DocumentKind.ALERT)),
                positive(at + ".queue_documents", f.queueDocuments(), DEFAULT_QUEUE));
    }

    private static Set<DocumentKind> kinds(String at, List<String> names, Set<DocumentKind> defaults)
            throws ConfigException {
        if (names == null) {
            return defaults;
        }
        Set<DocumentKind> kinds = EnumSet.noneOf(DocumentKind.class);
        for (String n : names) {
            kinds.add(switch (n == null ? "" : n) {
                case "alerts" -> DocumentKind.ALERT;
                case "events" -> DocumentKind.EVENT;
                case "fleet_candidates" -> DocumentKind.FLEET_CANDIDATE;
                default -> throw new ConfigException(at + ".documents: expected alerts, events or fleet_candidates,"
                        + " got '" + n + "'");
            });
        }
        if (kinds.isEmpty()) {
            throw new ConfigException(at + ".documents: expected at least one of alerts, events, fleet_candidates");
        }
        return kinds;
    }

    static String documentName(DocumentKind kind) {
        return switch (kind) {
            case EVENT -> "events";
            case ALERT -> "alerts";
            case FLEET_CANDIDATE -> "fleet_candidates";
        };
    }

    private static int positive(String key, Integer value, int dflt) throws ConfigException {
        if (value == null) {
            return dflt;
        }
        if (value < 1) {
            throw new ConfigException(key + ": expected at least 1, got " + value);
        }
        return value;
    }

    private static Duration duration(String key, String text, Duration dflt) throws ConfigException {
        if (text == null) {
            return dflt;
        }
        try {
            Duration d = Durations.parse(text);
            if (d.toMillis() < 1) {
                throw new ConfigException(key + ": expected a positive duration, got '" + text + "'");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }

    private static Path readable(String key, String file) throws ConfigException {
        if (file == null) {
            return null;
        }
        Path p = Path.of(file);
        if (!Files.isReadable(p)) {
            throw new ConfigException(key + ": cannot read " + file);
        }
        return p;
    }

    private static String or(String value, String dflt) {
        return value == null ? dflt : value;
    }
}
