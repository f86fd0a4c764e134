package io.spawnwatch.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The fields of one fleet candidate document (an exec that passed the seed rule's selection on some host, as
 * the sensor's Kafka output sends it to the candidates topic) that the fleet job counts by. The document is
 * ECS; the names below are its field names.
 *
 * @param timestampMillis  {@code @timestamp}, epoch milliseconds (the event time the windows use)
 * @param executable       {@code process.executable}
 * @param workingDirectory {@code process.working_directory}
 * @param parentExecutable {@code process.parent.executable}
 * @param commandLine      {@code process.command_line}
 * @param agentId          {@code agent.id}, falling back to {@code host.id}, then {@code host.name}, when a
 *                         sensor sends no agent id (sensors before host and agent ids)
 * @param hostId           {@code host.id}
 * @param hostName         {@code host.name}
 */
public record Candidate(long timestampMillis, String executable, String workingDirectory, String parentExecutable,
        String commandLine, String agentId, String hostId, String hostName) {

    /** Why a document is not a usable candidate: one line naming the field and what was expected. */
    public static final class BadCandidate extends Exception {
        public BadCandidate(String message) {
            super(message);
        }
    }

    /**
     * Reads a candidate from one ECS JSON document.
     *
     * @throws BadCandidate when it is not JSON, has no parseable {@code @timestamp}, or has neither
     *     {@code agent.id} nor {@code host.id}
     */
    public static Candidate parse(ObjectMapper json, byte[] document) throws BadCandidate {
        JsonNode root;
        try {
            root = json.readTree(document);
        } catch (IOException e) {
            throw new BadCandidate("not a JSON document: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new BadCandidate("expected a JSON object");
        }
        String ts = text(root, "@timestamp");
        if (ts == null) {
            throw new BadCandidate("@timestamp: missing; expected an RFC 3339 time");
        }
        long millis;
        try {
            millis = Instant.parse(ts).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new BadCandidate("@timestamp: expected an RFC 3339 time, got '" + ts + "'");
        }
        String hostId = text(root, "host", "id");
        String agentId = text(root, "agent", "id");
        String hostName = text(root, "host", "name");
        if (agentId == null) {
            agentId = hostId != null ? hostId : hostName;
        }
        if (agentId == null) {
            throw new BadCandidate("agent.id, host.id and host.name: all missing; expected at least one");
        }
        return new Candidate(millis, orEmpty(text(root, "process", "executable")),
                orEmpty(text(root, "process", "working_directory")),
                orEmpty(text(root, "process", "parent", "executable")),
                orEmpty(text(root, "process", "command_line")), agentId, hostId, hostName);
    }

    /** The seed rule's group: (process.executable, process.working_directory, process.parent.executable). */
    public String rarityKey() {
        return GroupKeys.of(executable, workingDirectory, parentExecutable);
    }

    /** The new-terms key: (process.parent.executable, process.command_line). */
    public String newTermsKey() {
        return GroupKeys.of(parentExecutable, commandLine);
    }

    private static String text(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            n = n.get(p);
            if (n == null) {
                return null;
            }
        }
        return n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
