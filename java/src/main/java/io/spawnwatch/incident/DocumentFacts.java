package io.spawnwatch.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The few fields of an ECS document that grouping needs, read once on the
 * store's writer thread (never on the ring reader's).
 *
 * @param pid process.pid (0 when absent)
 * @param parentPid process.parent.pid (0 when absent)
 * @param severity event.severity of an alert (0 for events)
 * @param network event.category holds "network"
 * @param rootName spawnwatch.lineage.root.name, or null
 */
record DocumentFacts(int pid, int parentPid, int severity, boolean network, String rootName,
        String rootExecutable) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws IOException when the line is not a JSON object */
    static DocumentFacts parse(byte[] line) throws IOException {
        JsonNode d = JSON.readTree(line);
        if (d == null || !d.isObject()) {
            throw new IOException("document is not a JSON object");
        }
        JsonNode process = d.path("process");
        boolean network = false;
        for (JsonNode c : d.path("event").path("category")) {
            network |= "network".equals(c.asText());
        }
        JsonNode root = d.path("spawnwatch").path("lineage").path("root");
        return new DocumentFacts(process.path("pid").asInt(0), process.path("parent").path("pid").asInt(0),
                d.path("event").path("severity").asInt(0), network, textOrNull(root.path("name")),
                textOrNull(root.path("executable")));
    }

    private static String textOrNull(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }
}
