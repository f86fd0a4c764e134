package io.spawnwatch.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.spawnwatch.error.ConfigException;
import io.spawnwatch.files.IoErrors;
import io.spawnwatch.files.TextFiles;
import io.spawnwatch.kernel.WatchedPaths;
import io.spawnwatch.kernel.WebServerNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
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
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT); // 8192.5 is not 8192

    private ConfigLoader() {}

    /** The embedded defaults alone. */
    public static SensorConfig defaults() throws ConfigException {
        return load(null);
    }

    /**
     * Defaults with {@code file} merged over them; null means defaults only.
     *
     * @throws ConfigException every problem of the file, one line each: "FILE:LINE: KEY: what was expected"
     *     (a YAML syntax error: "FILE:LINE:COLUMN: YAML syntax: ..."; the file cannot be read: "FILE: ...")
     */
    public static SensorConfig load(Path file) throws ConfigException {
        return load(file, c -> List.of());
    }

    /**
     * {@link #load(Path)} with more checks of the bound configuration (`config check` looks up the ids of
     * detection.disabled_rules in the rules), reported with the others.
     *
     * @param moreChecks problems of a configuration that binds, each "KEY: what is wrong"
     */
    public static SensorConfig load(Path file, java.util.function.Function<SensorConfig, List<String>> moreChecks)
            throws ConfigException {
        ObjectNode defaults = readDefaults();
        ObjectNode tree = defaults.deepCopy();
        ConfigYaml yaml = new ConfigYaml();
        ConfigProblems problems = new ConfigProblems(file == null ? "embedded defaults" : file.toString(),
                yaml.lines());
        if (file != null) {
            try {
                merge(tree, readFile(file, yaml), "", yaml.lines(), problems);
            } catch (ConfigYaml.YamlError e) {
                problems.at(e.line, e.column, e.getMessage());
                problems.throwIfAny(); // nothing after a syntax error is worth reading
            }
        }
        SensorConfig config = bind(tree, defaults, problems);
        if (config != null) {
            validate(config).forEach(problems::validation);
            if (problems.isEmpty()) {
                moreChecks.apply(config).forEach(problems::validation);
            }
        }
        problems.throwIfAny();
        return config;
    }

    /**
     * Binds the merged tree. Jackson stops at the first value it cannot bind; each one is reported and its
     * key reset to the default (or removed where there is none), and binding goes on, so that one run
     * names every such value.
     *
     * @return the configuration, or null when a problem could not be got past
     */
    private static SensorConfig bind(ObjectNode tree, ObjectNode defaults, ConfigProblems problems) {
        java.util.Set<String> reset = new java.util.HashSet<>();
        for (int attempt = 0; attempt <= ConfigProblems.MAX_SHOWN; attempt++) {
            try {
                return YAML.treeToValue(tree, SensorConfig.class);
            } catch (JsonProcessingException e) {
                String[] problem = describe(e);
                problems.bind(problem[0], problem[1]);
                String key = container(problem[0]);
                if (key.isEmpty() || !reset.add(key) || !ConfigTree.reset(tree, defaults, key)) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The key whose value is reset after a binding problem: a list's item resets the whole list. */
    private static String container(String key) {
        String k = key.endsWith(".type") ? key.substring(0, key.length() - ".type".length()) : key;
        while (k.endsWith("]")) {
            k = k.substring(0, k.lastIndexOf('['));
        }
        return k;
    }

    private static void checkNames(List<String> problems, String key, List<String> names) {
        if (names == null) {
            problems.add(key + ": expected a list of process names");
            return;
        }
        checkEach(problems, key, names, WebServerNames::validate);
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
        checkNames(problems, "webservers.interpreters", c.webServers().interpreters());
        checkNames(problems, "webservers.runtimes", c.webServers().runtimes());
        checkNames(problems, "webservers.never", c.webServers().never());
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
        } else {
            for (int i = 0; i < c.rules().paths().size(); i++) {
                String p = c.rules().paths().get(i);
                if (p == null || !p.startsWith("/")) {
                    problems.add("rules.paths[" + i + "]: expected an absolute path, got '" + p + "'");
                } else if (!Files.exists(Path.of(p))) {
                    problems.add("rules.paths[" + i + "]: " + p + ": no such file or directory; expected a rule"
                            + " file or a directory of them");
                } else if (!Files.isReadable(Path.of(p))) {
                    problems.add("rules.paths[" + i + "]: " + p + ": permission denied");
                }
            }
        }
        String exceptions = c.rules().exceptions();
        if (exceptions != null) {
            if (!exceptions.startsWith("/")) {
                problems.add("rules.exceptions: expected an absolute path, got '" + exceptions + "'");
            } else if (Files.exists(Path.of(exceptions)) && !Files.isRegularFile(Path.of(exceptions))) {
                problems.add("rules.exceptions: " + exceptions + " is a directory or another non-regular file;"
                        + " expected the path of a YAML file (spawnwatch exceptions add creates it)");
            } else {
                checkCreatable(problems, "rules.exceptions", exceptions);
            }
        }
        checkCreatable(problems, "detection.state_path", c.detection().statePath());
        if (c.incidents().enabled()) {
            checkCreatable(problems, "incidents.path", c.incidents().path());
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

    /**
     * A file the sensor creates, with its missing directories: an absolute path (checked where the key
     * is bound) whose nearest existing ancestor is a writable directory, and not a directory itself.
     */
    private static void checkCreatable(List<String> problems, String key, String file) {
        if (file == null || !file.startsWith("/")) {
            return;
        }
        Path p = Path.of(file);
        String why = Files.isDirectory(p) ? p + " is a directory; expected the path of a file"
                : IoErrors.whyNotCreatableWithDirectories(p);
        if (why != null) {
            problems.add(key + ": " + why);
        }
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

    /** The file's settings: a regular UTF-8 file of at most 4 MiB, one YAML document. */
    private static JsonNode readFile(Path file, ConfigYaml yaml) throws ConfigException, ConfigYaml.YamlError {
        String text;
        try {
            text = TextFiles.readUtf8(file, TextFiles.MAX_BYTES);
        } catch (TextFiles.Unreadable e) {
            // "line 2, column 32: not UTF-8 ..." as FILE:2:32: like every other place in a file.
            java.util.regex.Matcher at = java.util.regex.Pattern.compile("^line (\\d+), column (\\d+): ")
                    .matcher(e.getMessage());
            throw new ConfigException(file + (at.find() ? ":" + at.group(1) + ":" + at.group(2) + ": "
                    + e.getMessage().substring(at.end()) : ": " + e.getMessage()));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration: " + IoErrors.describe(e));
        }
        return yaml.parse(text);
    }

    /**
     * Maps replace key by key; any other value (lists too) replaces the default whole. An unknown key or a
     * value where a map belongs is reported and left out.
     */
    private static void merge(ObjectNode target, JsonNode overlay, String path, Map<String, Integer> lines,
            ConfigProblems problems) {
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
                problems.key(key, "unknown key; known keys " + (path.isEmpty() ? "at the top level" : "in " + path)
                        + " are " + String.join(", ", fieldNames(target)));
                continue;
            }
            if (current.isObject()) {
                if (!e.getValue().isObject()) {
                    problems.bind(key, "expected a map (indented key: value lines), got " + shown(e.getValue()));
                    continue;
                }
                merge((ObjectNode) current, e.getValue(), key, lines, problems);
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

    /** {key, what was expected} for a value Jackson could not bind, in the words a user writes. */
    private static String[] describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return new String[] {path(u), "unknown key; known keys here are " + String.join(", ", known)};
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidTypeIdException t) {
            // outputs: entries pick their kind with "type"; Jackson lists the known ones in its message.
            java.util.regex.Matcher known = java.util.regex.Pattern.compile("known type ids = \\[([^\\]]*)\\]")
                    .matcher(String.valueOf(t.getOriginalMessage()));
            return new String[] {path(t) + ".type", "expected one of " + (known.find() ? known.group(1) : "?")
                    + (t.getTypeId() == null ? ", missing" : ", got '" + t.getTypeId() + "'")};
        }
        if (e instanceof InvalidFormatException f) {
            return new String[] {path(f), "expected " + expected(f.getTargetType()) + ", got '" + f.getValue() + "'"};
        }
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m
                && m.getCause() instanceof InputCoercionException c) {
            // A number too large for its field (Jackson's own message names neither key nor line).
            return new String[] {path(m), valueText(c.getProcessor()) + " is out of range: expected "
                    + expected(c.getTargetType()) + " from " + range(c.getTargetType())};
        }
        if (e instanceof MismatchedInputException m) {
            return new String[] {path(m), "expected " + (m.getTargetType() == null ? "another kind of value"
                    : expected(m.getTargetType()))};
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException v && v.getCause() != null) {
            // A record's constructor refuses a value: "state_path: expected an absolute path, got 'x'".
            String why = v.getCause().getMessage();
            java.util.regex.Matcher field = java.util.regex.Pattern.compile("^([a-z_]+): ").matcher(String.valueOf(why));
            if (field.find()) {
                return new String[] {path(v) + "." + field.group(1), why.substring(field.end())};
            }
            return new String[] {path(v), why == null ? "not a valid value here" : why};
        }
        if (e instanceof InputCoercionException c && c.getProcessor() != null) {
            // A number too large for its field: Jackson's message names neither key nor line.
            return new String[] {path(c.getProcessor().getParsingContext()), valueText(c.getProcessor())
                    + " is out of range: expected " + expected(c.getTargetType()) + " from " + range(c.getTargetType())};
        }
        String key = e instanceof com.fasterxml.jackson.databind.JsonMappingException m ? path(m) : "";
        return new String[] {key, "not a valid value here (default.yml shows this key's form)"};
    }

    /** A node as the user wrote it, shortened: "5", "'text'", "a list". */
    private static String shown(JsonNode node) {
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNull()) {
            return "nothing";
        }
        String text = node.isTextual() ? "'" + node.asText() + "'" : node.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    private static String valueText(com.fasterxml.jackson.core.JsonParser p) {
        if (p == null) {
            return "the value";
        }
        try {
            return p.getText();
        } catch (IOException e) {
            return "the value";
        }
    }

    /** What a user writes for a value of this type; never a Java type name. */
    static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == java.math.BigInteger.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == java.time.Duration.class) {
            return "a duration such as 10m or 1h30m";
        }
        if (type == String.class) {
            return "a single value (quote it: 'text')";
        }
        if (type != null && java.util.Collection.class.isAssignableFrom(type)) {
            return "a list ([a, b], or one '- item' a line)";
        }
        if (type != null && (Map.class.isAssignableFrom(type) || type.isRecord() || type.isInterface())) {
            return "a map (indented key: value lines)";
        }
        return "another kind of value";
    }

    private static String range(Class<?> type) {
        return type == long.class || type == Long.class ? Long.MIN_VALUE + " to " + Long.MAX_VALUE
                : Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
    }

    /** "kernel.ring_buffer_bytes" from the tree parser's position. */
    private static String path(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.addFirst(c.getCurrentName());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (!sb.isEmpty() && !p.startsWith("[")) {
                sb.append('.');
            }
            sb.append(p);
        }
        return sb.toString();
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
