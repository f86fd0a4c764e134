package io.spawnwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** One human-readable line per ECS alert or event, for the terminal; --json prints the documents instead. */
final class Render {
    private Render() {}

    /** TIME  RULE  user=NAME  PARENT > PROCESS[PID]  COMMAND LINE or -> DESTINATION */
    static String alert(JsonNode doc) {
        String rule = first(doc, "rule.name", "rule.id");
        return join(field(doc, "@timestamp"), rule, "user=" + field(doc, "user.name"), process(doc), action(doc));
    }

    /** TIME  ACTION  user=NAME  PARENT > PROCESS[PID]  COMMAND LINE or -> DESTINATION */
    static String event(JsonNode doc) {
        return join(field(doc, "@timestamp"), first(doc, "event.action", "event.category"),
                "user=" + field(doc, "user.name"), process(doc), action(doc));
    }

    private static String process(JsonNode doc) {
        String parent = text(doc, "process.parent.name");
        String name = field(doc, "process.name");
        String pid = text(doc, "process.pid");
        return (parent == null ? "" : parent + " > ") + name + (pid == null ? "" : "[" + pid + "]");
    }

    private static String action(JsonNode doc) {
        String ip = text(doc, "destination.ip");
        if (ip != null) {
            String port = text(doc, "destination.port");
            return "-> " + (ip.contains(":") ? "[" + ip + "]" : ip) + (port == null ? "" : ":" + port);
        }
        return field(doc, "process.command_line");
    }

    private static String join(String... parts) {
        return String.join("  ", parts);
    }

    private static String first(JsonNode doc, String... paths) {
        for (String p : paths) {
            String t = text(doc, p);
            if (t != null) {
                return t;
            }
        }
        return "-";
    }

    private static String field(JsonNode doc, String path) {
        String t = text(doc, path);
        return t == null ? "-" : t;
    }

    /** The value at an ECS dotted path, nested or flat; arrays joined with commas; null when absent. */
    static String text(JsonNode doc, String path) {
        JsonNode v = find(doc, path);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isArray()) {
            StringBuilder b = new StringBuilder();
            v.forEach(e -> b.append(b.isEmpty() ? "" : ",").append(e.asText()));
            return b.toString();
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static JsonNode find(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            return null;
        }
        if (node.has(path)) {
            return node.get(path);
        }
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            JsonNode found = find(node.get(path.substring(0, dot)), path.substring(dot + 1));
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
