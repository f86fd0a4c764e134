package io.spawnwatch.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed access to a request's {@code args}, with one clear
 * {@link ErrorCode#INVALID_ARGUMENT} message per mistake. Call {@link #done()}
 * after reading: an argument the command does not know is an error too (a
 * typo must not be silently ignored).
 */
final class Args {
    private final String cmd;
    private final ObjectNode args;
    private final Set<String> read = new LinkedHashSet<>();

    Args(String cmd, ObjectNode args) {
        this.cmd = cmd;
        this.args = args;
    }

    String requireString(String name) throws RequestException {
        JsonNode v = require(name, "a string");
        if (!v.isTextual()) {
            throw wrongType(name, "a string", v);
        }
        return v.textValue();
    }

    String optionalString(String name) throws RequestException {
        JsonNode v = optional(name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(name, "a string", v);
        }
        return v.textValue();
    }

    boolean optionalBoolean(String name, boolean fallback) throws RequestException {
        JsonNode v = optional(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw wrongType(name, "true or false", v);
        }
        return v.booleanValue();
    }

    /** An integer in [min, max], or {@code fallback} when absent. */
    long optionalLong(String name, long fallback, long min, long max) throws RequestException {
        JsonNode v = optional(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber()) {
            throw wrongType(name, "an integer", v);
        }
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw invalid("args." + name + "=" + v + " is out of range: expected " + min + " to " + max);
        }
        return v.longValue();
    }

    List<String> optionalStringList(String name) throws RequestException {
        JsonNode v = optional(name);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            throw wrongType(name, "an array of strings", v);
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw invalid("args." + name + " must be an array of strings, got an element " + kind(e));
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** An object of string values, e.g. {"process.name":"sh"}; required and non-empty. */
    Map<String, String> requireStringMap(String name) throws RequestException {
        JsonNode v = require(name, "an object of strings");
        if (!v.isObject()) {
            throw wrongType(name, "an object of strings", v);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw invalid("args." + name + "." + e.getKey() + " must be a string, got " + kind(e.getValue()));
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        if (out.isEmpty()) {
            throw invalid("args." + name + " must name at least one field");
        }
        return out;
    }

    /** The raw value, or null when absent; the caller checks its type. */
    JsonNode optionalRaw(String name) {
        return optional(name);
    }

    JsonNode requireRaw(String name, String expected) throws RequestException {
        return require(name, expected);
    }

    /** Fails on any argument that was not read. */
    void done() throws RequestException {
        for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!read.contains(name)) {
                throw invalid("unknown argument args." + name + " for cmd=" + cmd
                        + (read.isEmpty() ? ": it takes no arguments" : ": it takes " + String.join(", ", read)));
            }
        }
    }

    RequestException invalid(String message) {
        return new RequestException(ErrorCode.INVALID_ARGUMENT, message);
    }

    RequestException wrongType(String name, String expected, JsonNode got) {
        return invalid("args." + name + " must be " + expected + ", got " + kind(got));
    }

    private JsonNode require(String name, String expected) throws RequestException {
        JsonNode v = optional(name);
        if (v == null) {
            throw invalid("args." + name + " is required for cmd=" + cmd + ": " + expected);
        }
        return v;
    }

    private JsonNode optional(String name) {
        read.add(name);
        JsonNode v = args.get(name);
        return v == null || v.isNull() ? null : v;
    }

    static String kind(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
