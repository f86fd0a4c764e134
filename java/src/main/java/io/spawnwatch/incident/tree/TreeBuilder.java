package io.spawnwatch.incident.tree;

import com.fasterxml.jackson.databind.JsonNode;
import io.spawnwatch.incident.IncidentSummary;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link IncidentTree} from an incident's ECS documents.
 *
 * <p>A process is identified by process.entity_id when the documents carry it
 * (and its parent by process.parent.entity_id); otherwise by pid, the latest
 * exec of a pid standing for it from then on. An exec of a pid that already
 * has a node is an exec in place and hangs under it. A parent that never
 * exec'd within the incident (php-fpm's worker, forked from the master) is
 * made from the child's process.parent fields and hangs under the web server.
 * Every document whose event.category is not process (network, file, DNS...)
 * is an {@link Activity} of its process. An alert is the triggering event's
 * document with rule fields: it is marked on the node or activity of the
 * event with the same pid, @timestamp and event.action, or placed itself when
 * that event was not kept.
 */
public final class TreeBuilder {
    private final int rootPid;
    private final List<JsonNode> docs;
    private final Map<String, ProcessNode> byEntity = new HashMap<>();
    private final Map<Integer, ProcessNode> byPid = new HashMap<>();
    private final ProcessNode[] nodeOf;
    private final Activity[] activityOf;
    private final ProcessNode root;
    private int nextKey = 1;

    private TreeBuilder(JsonNode summary, List<JsonNode> docs) {
        this.docs = docs;
        this.rootPid = summary.path("root_pid").asInt(0);
        this.nodeOf = new ProcessNode[docs.size()];
        this.activityOf = new Activity[docs.size()];
        String name = summary.path("root_name").isTextual() ? summary.path("root_name").asText() : "web server";
        String exe = summary.path("root_executable").isTextual() ? summary.path("root_executable").asText() : null;
        this.root = new ProcessNode("p0", null, rootPid, name, exe, List.of(), null, null, null, 0, "web_server");
        if (rootPid != 0) {
            byPid.put(rootPid, root);
        }
    }

    /**
     * @param summary the incident's summary object (root_pid, root_name,
     *     root_executable are read)
     * @param documents its ECS documents, in the order stored
     */
    public static IncidentTree build(JsonNode summary, List<JsonNode> documents) {
        return new TreeBuilder(summary, documents).build(summary);
    }

    private IncidentTree build(JsonNode summary) {
        List<Integer> order = new ArrayList<>();
        Map<String, Integer> eventBySignature = new HashMap<>();
        for (int i = 0; i < docs.size(); i++) {
            order.add(i);
            if (!isAlert(docs.get(i))) {
                eventBySignature.putIfAbsent(signature(docs.get(i)), i);
            }
        }
        // Stored order is arrival order; documents taken in from before the
        // first alert arrive late. Time order, stable, puts parents first.
        order.sort(Comparator.comparingLong(i -> timestampNs(docs.get(i))));
        for (int i : order) {
            JsonNode d = docs.get(i);
            if (!isAlert(d) || !eventBySignature.containsKey(signature(d))) {
                place(i, d);
            }
        }
        List<AlertMark> alerts = new ArrayList<>();
        for (int i : order) {
            JsonNode d = docs.get(i);
            if (!isAlert(d)) {
                continue;
            }
            int target = eventBySignature.getOrDefault(signature(d), i);
            ProcessNode node = nodeOf[target];
            AlertMark mark = alertMark(d, node == null ? root.key() : node.key(), i);
            alerts.add(mark);
            if (activityOf[target] != null) {
                activityOf[target].alerts().add(mark);
            } else if (node != null) {
                node.alerts().add(mark);
            }
            if (node != null && target != i) {
                node.documents().add(i);
            }
        }
        return new IncidentTree(summary, root, alerts, docs);
    }

    private void place(int i, JsonNode d) {
        JsonNode process = d.path("process");
        int pid = process.path("pid").asInt(0);
        String category = firstCategory(d);
        if ("process".equals(category)) {
            ProcessNode node;
            if (pid != 0 && pid == rootPid) {
                node = root; // the web server's own exec (a restart in place)
            } else {
                ProcessNode previous = byEntityOrPid(text(process, "entity_id"), pid);
                ProcessNode parent = previous != null ? previous : parentOf(process);
                node = newNode(process, d, previous != null ? "exec_in_place" : "exec", timestampNs(d));
                parent.children().add(node);
                index(node);
            }
            node.documents().add(i);
            nodeOf[i] = node;
            return;
        }
        ProcessNode node = byEntityOrPid(text(process, "entity_id"), pid);
        if (node == null) {
            // Seen first through what it did (a forked child that never exec'd).
            node = newNode(process, d, "process", 0);
            parentOf(process).children().add(node);
            index(node);
        }
        Activity a = new Activity(timestampNs(d), category, text(d.path("event"), "action"), activitySummary(d), i);
        node.activities().add(a);
        node.documents().add(i);
        nodeOf[i] = node;
        activityOf[i] = a;
    }

    private ProcessNode parentOf(JsonNode process) {
        JsonNode parent = process.path("parent");
        int ppid = parent.path("pid").asInt(0);
        ProcessNode known = byEntityOrPid(text(parent, "entity_id"), ppid);
        if (known != null) {
            return known;
        }
        if (ppid == 0) {
            return root;
        }
        ProcessNode made = new ProcessNode("p" + nextKey++, text(parent, "entity_id"), ppid,
                orDefault(text(parent, "name"), "?"), text(parent, "executable"), List.of(),
                text(parent, "command_line"), null, text(parent, "working_directory"), 0, "parent");
        root.children().add(made);
        index(made);
        return made;
    }

    private ProcessNode newNode(JsonNode process, JsonNode d, String role, long startNs) {
        List<String> args = new ArrayList<>();
        process.path("args").forEach(a -> args.add(a.asText()));
        String user = text(process.path("user"), "name");
        if (user == null) {
            user = text(d.path("user"), "name");
        }
        return new ProcessNode("p" + nextKey++, text(process, "entity_id"), process.path("pid").asInt(0),
                orDefault(text(process, "name"), "?"), text(process, "executable"), args,
                text(process, "command_line"), user, text(process, "working_directory"), startNs, role);
    }

    private void index(ProcessNode n) {
        if (n.entityId() != null) {
            byEntity.put(n.entityId(), n);
        }
        if (n.pid() != 0) {
            byPid.put(n.pid(), n);
        }
    }

    /**
     * With an entity id, only that id matches (a node with the same pid and
     * another id is another process: pid reuse), the web server aside, whose
     * id the incident does not carry; without one, the latest node of the pid.
     */
    private ProcessNode byEntityOrPid(String entityId, int pid) {
        if (entityId != null) {
            ProcessNode n = byEntity.get(entityId);
            return n != null || pid != rootPid || pid == 0 ? n : root;
        }
        return pid == 0 ? null : byPid.get(pid);
    }

    private static AlertMark alertMark(JsonNode d, String node, int index) {
        JsonNode rule = d.path("rule");
        JsonNode threat = d.path("threat");
        int severity = d.path("event").path("severity").asInt(0);
        return new AlertMark(timestampNs(d), orDefault(text(rule, "id"), "?"),
                orDefault(text(rule, "name"), orDefault(text(rule, "id"), "?")), text(rule, "description"), severity,
                IncidentSummary.level(severity), pairs(threat.path("tactic")), techniques(threat.path("technique")), node, index);
    }

    private static List<String> techniques(JsonNode technique) {
        List<String> out = pairs(technique);
        out.addAll(pairs(technique.path("subtechnique")));
        return out;
    }

    /** ECS threat objects hold parallel arrays of ids and names: "T1059 Command and Scripting Interpreter". */
    private static List<String> pairs(JsonNode o) {
        List<String> out = new ArrayList<>();
        JsonNode ids = o.path("id");
        JsonNode names = o.path("name");
        for (int k = 0; k < ids.size(); k++) {
            String name = names.path(k).asText("");
            out.add(ids.get(k).asText() + (name.isEmpty() ? "" : " " + name));
        }
        return out;
    }

    private static String activitySummary(JsonNode d) {
        String dns = text(d.path("dns").path("question"), "name");
        if (dns != null) {
            return "dns " + dns;
        }
        String file = text(d.path("file"), "path");
        if (file != null) {
            return file;
        }
        String ip = text(d.path("destination"), "ip");
        if (ip != null) {
            String transport = orDefault(text(d.path("network"), "transport"), "");
            String port = text(d.path("destination"), "port");
            String host = ip.contains(":") ? "[" + ip + "]" : ip;
            return (transport.isEmpty() ? "" : transport + " ") + host + (port == null ? "" : ":" + port);
        }
        return orDefault(text(d.path("event"), "action"), firstCategory(d));
    }

    private static boolean isAlert(JsonNode d) {
        return "alert".equals(text(d.path("event"), "kind"));
    }

    /** pid, @timestamp and action: what an alert shares with the event that raised it. */
    private static String signature(JsonNode d) {
        return d.path("process").path("pid").asText() + "|" + d.path("@timestamp").asText() + "|"
                + d.path("event").path("action").asText();
    }

    private static String firstCategory(JsonNode d) {
        JsonNode c = d.path("event").path("category");
        if (c.isArray() && !c.isEmpty()) {
            return c.get(0).asText();
        }
        return c.isTextual() ? c.asText() : "process";
    }

    /** @timestamp as epoch nanoseconds; 0 when absent or malformed. */
    public static long timestampNs(JsonNode d) {
        try {
            Instant t = Instant.parse(d.path("@timestamp").asText());
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    private static String orDefault(String s, String fallback) {
        return s == null ? fallback : s;
    }
}
