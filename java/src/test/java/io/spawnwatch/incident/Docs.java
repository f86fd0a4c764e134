package io.spawnwatch.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spawnwatch.output.Document;
import io.spawnwatch.output.DocumentKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Synthetic ECS documents shaped as the sensor writes them, for tests of the incident store and tree. */
public final class Docs {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A fixed "now" for the tests' timelines: 2026-11-30T12:00:00Z, in epoch ns. */
    public static final long T0 = Instant.parse("2026-11-30T12:00:00Z").getEpochSecond() * 1_000_000_000L;
    public static final long SECOND = 1_000_000_000L;

    private Docs() {}

    /** An exec event of {@code pid} (child of {@code ppid}) under root {@code root}. */
    public static ObjectNode exec(long tsNs, int root, int pid, int ppid, String name, String... args) {
        ObjectNode d = base(tsNs, "event", "process", "exec", root, pid, ppid, name);
        ArrayNode a = ((ObjectNode) d.get("process")).putArray("args");
        for (String s : args) {
            a.add(s);
        }
        ((ObjectNode) d.get("process")).put("command_line", String.join(" ", args));
        ((ObjectNode) d.get("process")).put("executable", "/usr/bin/" + name);
        return d;
    }

    /** A connect event. */
    public static ObjectNode connect(long tsNs, int root, int pid, int ppid, String name, String ip, int port) {
        ObjectNode d = base(tsNs, "event", "network", "connection_attempted", root, pid, ppid, name);
        d.putObject("destination").put("ip", ip).put("port", port);
        d.putObject("network").put("transport", "tcp");
        return d;
    }

    /** The alert a rule raises on {@code event}: its fields plus event.kind alert, severity, rule, threat. */
    public static ObjectNode alert(ObjectNode event, String ruleId, String ruleName, int severity) {
        ObjectNode d = event.deepCopy();
        ((ObjectNode) d.get("event")).put("kind", "alert").put("severity", severity).put("risk_score", severity);
        d.putObject("rule").put("id", ruleId).put("name", ruleName).put("description", "what " + ruleName + " means");
        ObjectNode threat = d.putObject("threat").put("framework", "MITRE ATT&CK");
        threat.putObject("tactic").putArray("id").add("TA0002");
        ((ObjectNode) threat.get("tactic")).putArray("name").add("Execution");
        threat.putObject("technique").putArray("id").add("T1059");
        ((ObjectNode) threat.get("technique")).putArray("name").add("Command and Scripting Interpreter");
        return d;
    }

    private static ObjectNode base(long tsNs, String kind, String category, String action, int root, int pid,
            int ppid, String name) {
        ObjectNode d = JSON.createObjectNode();
        d.put("@timestamp", Instant.ofEpochSecond(tsNs / 1_000_000_000L, tsNs % 1_000_000_000L).toString());
        ObjectNode event = d.putObject("event").put("kind", kind);
        event.putArray("category").add(category);
        event.put("action", action);
        ObjectNode p = d.putObject("process").put("pid", pid).put("name", name);
        p.putObject("user").put("id", "33").put("name", "www-data");
        p.putObject("parent").put("pid", ppid).put("name", ppid == root ? "php-fpm8.2" : "parent-of-" + pid);
        d.putObject("user").put("id", "33").put("name", "www-data");
        if (root != 0) {
            d.putObject("spawnwatch").putObject("lineage").put("depth", 2).putObject("root").put("pid", root)
                    .put("name", "php-fpm8.2").put("executable", "/usr/sbin/php-fpm8.2");
        }
        return d;
    }

    /** The document as the pipeline hands it to sinks. */
    public static Document document(ObjectNode d, long rootStart) {
        boolean alert = "alert".equals(d.path("event").path("kind").asText());
        int root = d.path("spawnwatch").path("lineage").path("root").path("pid").asInt(0);
        Instant t = Instant.parse(d.path("@timestamp").asText());
        return new Document(alert ? DocumentKind.ALERT : DocumentKind.EVENT,
                (d.toString() + "\n").getBytes(StandardCharsets.UTF_8), root, rootStart,
                t.getEpochSecond() * 1_000_000_000L + t.getNano());
    }
}
