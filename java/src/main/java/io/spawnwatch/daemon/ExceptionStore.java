package io.spawnwatch.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.spawnwatch.control.SensorControl.AlertException;
import io.spawnwatch.control.SensorControl.ExceptionSpec;
import io.spawnwatch.control.SensorException;
import io.spawnwatch.files.PrivateFiles;
import io.spawnwatch.files.TextFiles;
import io.spawnwatch.rules.model.RuleSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 * field names, translated here to the rule fields.
 *
 * <p>Each change runs under one lock from read to write: concurrent adds each
 * land, and each caller is told what really happened. The file is read once
 * and then kept as one YAML text per entry, so an add serialises and compiles
 * only the new entry ({@link Engine#add}) and writes the file atomically (a
 * crash leaves the old or the new list, never half of one). At most
 * {@link #MAX_EXCEPTIONS} entries and {@link TextFiles#MAX_BYTES} of text: an
 * add past either is refused with the reason.
 */
final class ExceptionStore {
    /** The most exceptions the file may hold. */
    static final int MAX_EXCEPTIONS = 1000;

    /** ECS names the socket accepts, and the rule field each means: the one table, event.Field. */
    static final Map<String, String> ECS_TO_RULE_FIELD = io.spawnwatch.rules.sigma.FieldCatalog.ecsToRuleNames();

    private static final String HEAD = "exceptions:\n";
    private static final ObjectMapper YAML = new ObjectMapper(
            new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    /** The running rule engine's side of a change. */
    interface Engine {
        /** Compiles and applies {@code entries} (an exceptions file of only the new entries); throws when refused. */
        void add(RuleSource entries);

        /** Takes an applied exception back out (the file could not be written). */
        void remove(String id);
    }

    /** One entry: what the socket shows, and its YAML text in the file. */
    private record Stored(AlertException exception, String yaml) {}

    private final Path file;
    private final long group;
    private List<Stored> entries; // null until first read; guarded by this
    private int textBytes; // guarded by this

    /** @param group gid for the file and a created directory (0640/0750), or -1 for root's only (0600/0700) */
    ExceptionStore(Path file, long group) {
        this.file = file;
        this.group = group;
    }

    Path file() {
        return file;
    }

    /** The file as a rule source, or null when there is no file (no exceptions). */
    RuleSource source() throws IOException {
        try {
            return new RuleSource(file.toString(), TextFiles.readUtf8(file, TextFiles.MAX_BYTES));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Forgets what was read: the next change reads the file again (after `rules reload`). */
    synchronized void invalidate() {
        entries = null;
    }

    synchronized List<AlertException> list() throws IOException {
        return loaded().stream().map(Stored::exception).toList();
    }

    /**
     * Adds {@code spec}: checks the bounds, has the engine compile and apply
     * it, then writes the file. When the write fails the engine's change is
     * undone, so the caller is never told "added" for something a restart
     * would lose.
     *
     * @throws SensorException.Rejected at the bounds, or when the engine refuses the entry
     * @throws IOException when the file cannot be read or written (nothing changed)
     */
    synchronized AlertException add(ExceptionSpec spec, Engine engine) throws IOException {
        List<Stored> current = loaded();
        if (current.size() >= MAX_EXCEPTIONS) {
            throw new SensorException.Rejected("exceptions: " + file + " holds " + current.size()
                    + " exceptions, the limit; remove some (spawnwatch exceptions remove ID) first");
        }
        String id = "ex-" + UUID.randomUUID().toString().substring(0, 8);
        String created = Instant.now().toString();
        ObjectNode e = YAML.createObjectNode();
        e.put("id", id);
        if (spec.comment() != null) {
            e.put("comment", spec.comment());
        }
        e.put("created_at", created);
        if (!"*".equals(spec.rule())) {
            e.putArray("rules").add(spec.rule());
        }
        ObjectNode match = e.putObject("match");
        for (Map.Entry<String, String> m : spec.match().entrySet()) {
            match.put(ruleField(m.getKey()), m.getValue());
        }
        String yaml = YAML.writeValueAsString(List.of(e));
        int bytes = yaml.getBytes(StandardCharsets.UTF_8).length;
        if (textBytes + bytes > TextFiles.MAX_BYTES) {
            throw new SensorException.Rejected("exceptions: " + file + " would exceed " + TextFiles.MAX_BYTES
                    + " bytes; remove some exceptions first");
        }
        AlertException added = new AlertException(id, spec.rule(), Map.copyOf(spec.match()), spec.comment(),
                created);
        engine.add(new RuleSource(file.toString(), HEAD + yaml));
        List<Stored> next = new ArrayList<>(current);
        next.add(new Stored(added, yaml));
        try {
            write(next);
        } catch (IOException | RuntimeException ex) {
            engine.remove(id);
            throw ex;
        }
        entries = next;
        textBytes += bytes;
        return added;
    }

    /**
     * Removes exception {@code id} from the file, then from the engine.
     *
     * @return the removed exception, or null when there is none with that id
     */
    synchronized AlertException remove(String id, Engine engine) throws IOException {
        List<Stored> current = loaded();
        for (int i = 0; i < current.size(); i++) {
            Stored s = current.get(i);
            if (s.exception().id().equals(id)) {
                List<Stored> next = new ArrayList<>(current);
                next.remove(i);
                write(next);
                entries = next;
                textBytes -= s.yaml().getBytes(StandardCharsets.UTF_8).length;
                engine.remove(id);
                return s.exception();
            }
        }
        return null;
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

    /** The entries, read from the file the first time (bounded: TextFiles.MAX_BYTES). */
    private List<Stored> loaded() throws IOException {
        if (entries != null) {
            return entries;
        }
        RuleSource src = source();
        List<Stored> out = new ArrayList<>();
        int bytes = 0;
        JsonNode root = src == null ? null : YAML.readTree(src.text());
        JsonNode list = root == null ? null : root.get("exceptions");
        if (list != null && list.isArray()) {
            for (JsonNode e : list) {
                String yaml = YAML.writeValueAsString(List.of(e));
                bytes += yaml.getBytes(StandardCharsets.UTF_8).length;
                out.add(new Stored(toException(e), yaml));
            }
        }
        entries = out;
        textBytes = bytes;
        return out;
    }

    private static AlertException toException(JsonNode e) {
        Map<String, String> match = new LinkedHashMap<>();
        e.path("match").fields().forEachRemaining(f -> match.put(ecsName(f.getKey()), f.getValue().asText()));
        JsonNode rules = e.path("rules");
        String rule = rules.isArray() && rules.size() > 0 ? rules.get(0).asText() : "*";
        return new AlertException(e.path("id").asText(), rule, match,
                e.hasNonNull("comment") ? e.get("comment").asText() : null,
                e.hasNonNull("created_at") ? e.get("created_at").asText() : null);
    }

    /** Replaces the file atomically with these entries; a created directory is private (PrivateFiles). */
    private void write(List<Stored> list) throws IOException {
        StringBuilder text = new StringBuilder(HEAD);
        if (list.isEmpty()) {
            text.setLength(0);
            text.append("exceptions: []\n");
        }
        list.forEach(s -> text.append(s.yaml()));
        Path parent = file.toAbsolutePath().getParent();
        PrivateFiles.createDirectories(parent, group);
        Path tmp = Files.createTempFile(parent, ".exceptions-", ".yml"); // 0600
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            PrivateFiles.restrictFile(tmp, group);
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
}
