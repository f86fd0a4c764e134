package io.spawnwatch.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.spawnwatch.control.SensorControl.AlertException;
import io.spawnwatch.control.SensorControl.ExceptionSpec;
import io.spawnwatch.rules.model.RuleSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The exceptions file (config rules.exceptions), read and written by the
 * control socket's {@code exceptions add|remove}. It is the rules package's
 * format (id, comment, rules, match, created_at); the socket speaks ECS dotted
 * field names, translated here to the rule fields. Writes replace the file
 * atomically, so a crash leaves the old or the new list, never half of one.
 */
final class ExceptionStore {
    /** ECS names the socket accepts, and the rule field each means: the one table, event.Field. */
    static final Map<String, String> ECS_TO_RULE_FIELD = io.spawnwatch.rules.sigma.FieldCatalog.ecsToRuleNames();

    private static final ObjectMapper YAML = new ObjectMapper(
            new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final Path file;

    ExceptionStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The file as a rule source, or null when there is no file (no exceptions). */
    RuleSource source() throws IOException {
        return Files.exists(file) ? RuleSource.of(file) : null;
    }

    synchronized List<AlertException> list() throws IOException {
        List<AlertException> out = new ArrayList<>();
        for (JsonNode e : entries(read())) {
            Map<String, String> match = new LinkedHashMap<>();
            e.path("match").fields().forEachRemaining(f -> match.put(ecsName(f.getKey()), f.getValue().asText()));
            JsonNode rules = e.path("rules");
            String rule = rules.isArray() && rules.size() > 0 ? rules.get(0).asText() : "*";
            out.add(new AlertException(e.path("id").asText(), rule, match,
                    e.hasNonNull("comment") ? e.get("comment").asText() : null,
                    e.hasNonNull("created_at") ? e.get("created_at").asText() : null));
        }
        return out;
    }

    /**
     * The text the file would have with {@code spec} added (not written yet:
     * the caller compiles it first and writes only what compiles).
     */
    synchronized Pending add(ExceptionSpec spec) throws IOException {
        ObjectNode root = read();
        ObjectNode e = YAML.createObjectNode();
        String id = "ex-" + UUID.randomUUID().toString().substring(0, 8);
        e.put("id", id);
        if (spec.comment() != null) {
            e.put("comment", spec.comment());
        }
        String created = Instant.now().toString();
        e.put("created_at", created);
        if (!"*".equals(spec.rule())) {
            e.putArray("rules").add(spec.rule());
        }
        ObjectNode match = e.putObject("match");
        for (Map.Entry<String, String> m : spec.match().entrySet()) {
            match.put(ruleField(m.getKey()), m.getValue());
        }
        entries(root).add(e);
        return new Pending(YAML.writeValueAsString(root),
                new AlertException(id, spec.rule(), Map.copyOf(spec.match()), spec.comment(), created));
    }

    /** The text without exception {@code id}, or null when it is not there. */
    synchronized Pending remove(String id) throws IOException {
        ObjectNode root = read();
        ArrayNode entries = entries(root);
        for (AlertException existing : list()) {
            if (existing.id().equals(id)) {
                for (int i = 0; i < entries.size(); i++) {
                    if (id.equals(entries.get(i).path("id").asText())) {
                        entries.remove(i);
                        break;
                    }
                }
                return new Pending(YAML.writeValueAsString(root), existing);
            }
        }
        return null;
    }

    /** Replaces the file atomically. */
    synchronized void write(String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".exceptions-", ".yml");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A changed file, not yet written, and the exception it adds or removes. */
    record Pending(String text, AlertException exception) {
        RuleSource source(Path file) {
            return new RuleSource(file.toString(), text);
        }
    }

    /** Accepts ECS dotted names and, as they are, rule field names (with |modifiers). */
    static String ruleField(String name) {
        String mapped = ECS_TO_RULE_FIELD.get(name);
        return mapped != null ? mapped : name;
    }

    private static String ecsName(String ruleField) {
        for (Map.Entry<String, String> e : ECS_TO_RULE_FIELD.entrySet()) {
            if (e.getValue().equals(ruleField)) {
                return e.getKey();
            }
        }
        return ruleField;
    }

    private ObjectNode read() throws IOException {
        if (!Files.exists(file)) {
            ObjectNode root = YAML.createObjectNode();
            root.putArray("exceptions");
            return root;
        }
        JsonNode node = YAML.readTree(file.toFile());
        if (node == null || !node.isObject()) {
            ObjectNode root = YAML.createObjectNode();
            root.putArray("exceptions");
            return root;
        }
        return (ObjectNode) node;
    }

    private static ArrayNode entries(ObjectNode root) {
        JsonNode e = root.get("exceptions");
        if (e == null || !e.isArray()) {
            return root.putArray("exceptions");
        }
        return (ArrayNode) e;
    }
}
