package io.spawnwatch.incident.tree;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An incident as one process tree: from the web server down to every
 * process of the incident, with connections and files under the process that
 * made them and alerts on the process or activity they were raised on.
 *
 * @param summary the incident's line in {@code spawnwatch incidents} (the
 *     control protocol's JSON object)
 * @param root the web server
 * @param alerts every alert, in time order
 * @param documents every ECS document of the incident, in the order stored
 */
public record IncidentTree(JsonNode summary, ProcessNode root, List<AlertMark> alerts, List<JsonNode> documents) {

    /** Every node, depth first, parents before children. */
    public List<ProcessNode> nodes() {
        List<ProcessNode> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(ProcessNode n, List<ProcessNode> out) {
        out.add(n);
        for (ProcessNode c : n.children()) {
            collect(c, out);
        }
    }

    /** The node with this key, or null. */
    public ProcessNode node(String key) {
        for (ProcessNode n : nodes()) {
            if (n.key().equals(key)) {
                return n;
            }
        }
        return null;
    }
}
