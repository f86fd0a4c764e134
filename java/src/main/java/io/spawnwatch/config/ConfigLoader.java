package io.spawnwatch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.spawnwatch.error.ConfigException;
import io.spawnwatch.kernel.WatchedPaths;
import io.spawnwatch.kernel.WebServerNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the embedded defaults, merges a user file over them key by key, binds
 * the result and validates it. Every error names the file, the key (and line
 * where the parser knows it) and what was expected.
 */
public final class ConfigLoader {
    static final String DEFAULTS = "/io/spawnwatch/config/default.yml";
    /**
     * Sections whose keys are checked by the class they bind to, not by the
     * defaults file (it names only a few of them): unknown keys there are
     * still refused, by Jackson, with the list of known ones.
     */
    private static final java.util.Set<String> OPEN_SECTIONS = java.util.Set.of("detection");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigLoader() {}

    /** The embedded defaults alone. */
    public static SensorConfig defaults() throws ConfigException {
        return load(null);
    }

    /** Defaults with {@code file} merged over them; null means defaults only. */
    public static SensorConfig load(Path file) throws ConfigException {
        ObjectNode tree = readDefaults();
        String source = "embedded defaults";
        if (file != null) {
            source = file.toString();
            try {
                merge(tree, readFile(file), "");
            } catch (ConfigException e) {
                throw e.getMessage().startsWith("config ") ? e : new ConfigException("config " + file + ": "
                        + e.getMessage());
            }
        }
        SensorConfig config;
        try {
            config = YAML.treeToValue(tree, SensorConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config " + source + ": " + describe(e));
        }
        List<String> problems = validate(config);
        if (!problems.isEmpty()) {
            throw new ConfigException("config " + source + ": " + String.join("; ", problems));
        }
        return config;
    }

    private static void checkFiles(List<String> problems, SensorConfig.Files f) {
        checkEach(problems, "files.writable_dirs", f.writableDirs(), WatchedPaths::validatePrefix);
        checkEach(problems, "files.persistence_paths", f.persistencePaths(), WatchedPaths::validatePrefix);
        checkEach(problems, "files.persistence_names", f.persistenceNames(), WatchedPaths::validateName);
        checkEach(problems, "files.web_roots", f.webRoots(), WatchedPaths::validatePrefix);
        checkEach(problems, "files.script_extensions", f.scriptExtensions(), WatchedPaths::validateExtension);
    }

    private static void checkEach(List<String> problems, String key, List<String> values,
            java.util.function.Function<String, String> check) {
        if (values == null) {
            problems.add(key + ": expected a list");
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            String why = check.apply(values.get(i));
            if (why != null) {
                problems.add(key + "[" + i + "]: " + why);
            }
        }
    }

    /** Every problem with a bound configuration, each naming its key. */
    public static List<String> validate(SensorConfig c) {
        List<String> problems = new ArrayList<>();
        if (c.webServers() == null || c.kernel() == null || c.enrichment() == null || c.control() == null
                || c.rules() == null || c.detection() == null || c.output() == null || c.files() == null
                || c.incidents() == null) {
            problems.add("webservers, kernel, enrichment, control, rules, detection, output, files and incidents must be maps");
            return problems;
        }
        checkFiles(problems, c.files());
        List<String> names = c.webServers().names();
        if (names == null) {
            problems.add("webservers.names: expected a list of process names");
        } else {
            for (int i = 0; i < names.size(); i++) {
                String why = WebServerNames.validate(names.get(i));
                if (why != null) {
                    problems.add("webservers.names[" + i + "]: " + why);
                }
            }
        }
        checkIds(problems, "webservers.uids", c.webServers().uids());
        List<String> interpreters = c.webServers().interpreters();
        if (interpreters == null) {
            problems.add("webservers.interpreters: expected a list of process names");
        } else {
            for (int i = 0; i < interpreters.size(); i++) {
                String why = WebServerNames.validate(interpreters.get(i));
                if (why != null) {
                    problems.add("webservers.interpreters[" + i + "]: " + why);
                }
            }
        }
        List<String> lines = c.webServers().serverCommandLines();
        if (lines == null) {
            problems.add("webservers.server_command_lines: expected a list of command-line fragments");
        } else {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i) == null || lines.get(i).isBlank()) {
                    problems.add("webservers.server_command_lines[" + i + "]: expected a non-empty fragment");
                }
            }
        }
        if (c.webServers().users() == null) {
            problems.add("webservers.users: expected a list of user names");
        }
        int ring = c.kernel().ringBufferBytes();
        if (Integer.bitCount(ring) != 1 || ring < 4096 || ring > (1 << 30)) {
            problems.add("kernel.ring_buffer_bytes: expected a power of two from 4096 to 1073741824, got " + ring);
        }
        if (c.kernel().lineageEntries() < 64 || c.kernel().lineageEntries() > 4_194_304) {
            problems.add("kernel.lineage_entries: expected 64 to 4194304, got " + c.kernel().lineageEntries());
        }
        int table = c.enrichment().processTableEntries();
        if (table < 64 || table > 1_048_576) {
            problems.add("enrichment.process_table_entries: expected 64 to 1048576, got " + table);
        }
        int queue = c.output().queueDocuments();
        if (queue < 1 || queue > 16_777_216) {
            problems.add("output.queue_documents: expected 1 to 16777216, got " + queue);
        }
        Long fileGroup = c.output().fileGroup();
        if (fileGroup != null && (fileGroup < 0 || fileGroup > 0xffff_fffeL)) {
            problems.add("output.file_group: expected a gid from 0 to 4294967294, got " + fileGroup);
        }
        String socket = c.control().socket();
        if (socket == null || !socket.startsWith("/")) {
            problems.add("control.socket: expected an absolute path, got " + socket);
        }
        if (c.rules().paths() == null) {
            problems.add("rules.paths: expected a list of rule files or directories");
        }
        checkIds(problems, "control.allowed_uids", c.control().allowedUids());
        checkIds(problems, "control.allowed_gids", c.control().allowedGids());
        problems.addAll(io.spawnwatch.output.ConfiguredOutputs.problems(c.outputs()));
        Long group = c.control().socketGroup();
        if (group != null && (group < 0 || group > 0xffff_fffeL)) {
            problems.add("control.socket_group: expected a group id from 0 to 4294967294, got " + group);
        }
        problems.addAll(c.incidents().problems());
        return problems;
    }

    private static void checkIds(List<String> problems, String key, List<Long> ids) {
        if (ids == null) {
            problems.add(key + ": expected a list of numeric ids");
            return;
        }
        for (int i = 0; i < ids.size(); i++) {
            Long id = ids.get(i);
            if (id == null || id < 0 || id > 0xffff_fffeL) {
                problems.add(key + "[" + i + "]: expected an id from 0 to 4294967294, got " + id);
            }
        }
    }

    private static ObjectNode readDefaults() throws ConfigException {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new ConfigException("embedded defaults " + DEFAULTS + " missing from the jar");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new ConfigException("embedded defaults: " + e.getMessage(), e);
        }
    }

    private static JsonNode readFile(Path file) throws ConfigException {
        try {
            JsonNode node = YAML.readTree(Files.readString(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return YAML.createObjectNode(); // an empty file means "all defaults"
            }
            if (!node.isObject()) {
                throw new ConfigException("config " + file + ": expected a map of settings at the top level");
            }
            return node;
        } catch (NoSuchFileException e) {
            throw new ConfigException("config " + file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new ConfigException("config " + file + ": " + describe(e));
        } catch (IOException e) {
            throw new ConfigException("config " + file + ": cannot read: " + e.getMessage());
        }
    }

    /** Maps replace key by key; any other value (lists too) replaces the default whole. */
    private static void merge(ObjectNode target, JsonNode overlay, String path) throws ConfigException {
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            JsonNode current = target.get(e.getKey());
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (current == null && OPEN_SECTIONS.contains(path)) {
                target.set(e.getKey(), e.getValue());
                continue;
            }
            if (current == null) {
                throw new ConfigException("unknown key " + key + ": known keys here are "
                        + fieldNames(target));
            }
            if (current.isObject()) {
                if (!e.getValue().isObject()) {
                    throw new ConfigException("key " + key + ": expected a map, got " + e.getValue().getNodeType());
                }
                merge((ObjectNode) current, e.getValue(), key);
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    private static List<String> fieldNames(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String describe(JsonProcessingException e) {
        String where = "";
        JsonLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            where = " (line " + loc.getLineNr() + ")";
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown key " + path(u) + where + ": known keys are " + u.getKnownPropertyIds();
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidTypeIdException t) {
            // outputs: entries pick their kind with "type"; Jackson lists the known ones in its message.
            java.util.regex.Matcher known = java.util.regex.Pattern.compile("known type ids = \\[([^\\]]*)\\]")
                    .matcher(String.valueOf(t.getOriginalMessage()));
            return "key " + path(t) + ".type" + where + ": expected one of " + (known.find() ? known.group(1) : "?")
                    + (t.getTypeId() == null ? ", missing" : ", got '" + t.getTypeId() + "'");
        }
        if (e instanceof InvalidFormatException f) {
            return "key " + path(f) + where + ": expected " + f.getTargetType().getSimpleName() + ", got '"
                    + f.getValue() + "'";
        }
        if (e instanceof MismatchedInputException m) {
            return "key " + path(m) + where + ": expected " + (m.getTargetType() == null ? "another type"
                    : m.getTargetType().getSimpleName());
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException v && v.getCause() != null) {
            return "key " + path(v) + where + ": " + v.getCause().getMessage();
        }
        return e.getOriginalMessage() + where;
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
