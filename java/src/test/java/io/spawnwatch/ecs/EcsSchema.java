package io.spawnwatch.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.spawnwatch.rules.match.CidrSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ECS's published field definitions for the fields our documents use (test
 * resource ecs/ecs_flat_subset.yml, cut from ECS {@value EcsEventWriter#ECS_VERSION}'s
 * generated/ecs/ecs_flat.yml by ecs/make_subset.py), and a check of one
 * document against them: every leaf field is an ECS field or sits under
 * {@code spawnwatch.*}; its value has the field's type (keyword: a string,
 * long: an integer, date: an ISO-8601 instant, ip: an address literal,
 * boolean: a boolean); a field ECS normalises to an array is one; and the
 * categorisation fields hold allowed values, each event.type one that every
 * event.category of the document expects.
 */
public final class EcsSchema {
    private static final String RESOURCE = "/ecs/ecs_flat_subset.yml";
    private static final List<String> CATEGORISATION = List.of("event.kind", "event.category", "event.type",
            "event.outcome");

    private final String version;
    private final JsonNode fields;

    private EcsSchema(String version, JsonNode fields) {
        this.version = version;
        this.fields = fields;
    }

    public static EcsSchema load() {
        try (InputStream in = EcsSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + RESOURCE + " is missing");
            }
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            return new EcsSchema(root.path("ecs_version").asText(), root.path("fields"));
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE, e);
        }
    }

    public String version() {
        return version;
    }

    /** The ECS type of a field (keyword, long, date, ip...), or null when ECS has no such field here. */
    public String type(String field) {
        JsonNode d = fields.get(field);
        return d == null ? null : d.path("type").asText();
    }

    /** Every way the document breaks the definitions, one line each ("process.pid: ..."); empty when none. */
    public List<String> violations(JsonNode document) {
        List<String> out = new ArrayList<>();
        walk("", document, out);
        categorisation(document, out);
        return out;
    }

    private void walk(String path, JsonNode node, List<String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                walk(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
            }
            return;
        }
        if (path.startsWith("spawnwatch.")) {
            return; // ours: documented in README, not ECS's
        }
        JsonNode def = fields.get(path);
        if (def == null) {
            out.add(path + ": not an ECS " + version + " field (and not under spawnwatch.*)");
            return;
        }
        boolean array = false;
        for (JsonNode n : def.path("normalize")) {
            array |= "array".equals(n.asText());
        }
        if (array && !node.isArray()) {
            out.add(path + ": ECS expects an array, found " + node);
        }
        String type = def.path("type").asText();
        if (node.isArray()) {
            for (JsonNode item : node) {
                checkType(path, type, item, out);
            }
        } else {
            checkType(path, type, node, out);
        }
    }

    private static void checkType(String path, String type, JsonNode v, List<String> out) {
        boolean ok = switch (type) {
            case "keyword", "wildcard", "match_only_text", "text", "constant_keyword" -> v.isTextual();
            case "long", "integer", "short", "byte" -> v.isIntegralNumber();
            case "float", "double", "scaled_float" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "date" -> v.isTextual() && isInstant(v.asText());
            case "ip" -> v.isTextual() && CidrSet.parseLiteral(v.asText()) != null;
            default -> false; // object, nested, flattened: never a leaf of ours
        };
        if (!ok) {
            out.add(path + ": ECS type " + type + ", found " + v);
        }
    }

    private static boolean isInstant(String s) {
        try {
            Instant.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private void categorisation(JsonNode doc, List<String> out) {
        for (String field : CATEGORISATION) {
            Set<String> allowed = new HashSet<>();
            fields.path(field).path("allowed_values").forEach(v -> allowed.add(v.asText()));
            for (String value : values(doc, field)) {
                if (!allowed.contains(value)) {
                    out.add(field + ": '" + value + "' is not an allowed value; allowed: " + allowed);
                }
            }
        }
        JsonNode expected = fields.path("event.category").path("expected_event_types");
        for (String category : values(doc, "event.category")) {
            Set<String> types = new HashSet<>();
            expected.path(category).forEach(t -> types.add(t.asText()));
            for (String type : values(doc, "event.type")) {
                if (!types.contains(type)) {
                    out.add("event.type: '" + type + "' is not one ECS expects with event.category '" + category
                            + "'; expected: " + types);
                }
            }
        }
    }

    private static List<String> values(JsonNode doc, String dotted) {
        JsonNode n = doc;
        for (String part : dotted.split("\\.")) {
            n = n.path(part);
        }
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(v -> out.add(v.asText()));
        } else if (!n.isMissingNode() && !n.isNull()) {
            out.add(n.asText());
        }
        return out;
    }
}
