package io.spawnwatch.fleet;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The fleet job's alerts as ECS documents, one JSON object and a newline each, like the sensor's: {@code
 * event.kind: alert}, {@code rule.*}, the group's {@code process.*} fields, the one host's {@code host.*} and
 * {@code agent.*}, and under {@code spawnwatch.fleet} the window, the counts and every host seen.
 */
public final class FleetAlerts {
    private static final JsonFactory JSON = new JsonFactory();

    private FleetAlerts() {}

    /**
     * The seed rule's fleet-wide rarity alert for a window that closed with one agent and fewer than maxEvents.
     *
     * @param groupKey    the (executable, working directory, parent executable) key
     * @param windowStart window start, epoch ms
     * @param windowEnd   window end, epoch ms (exclusive); the alert's {@code @timestamp}
     * @param nowMillis   when the job emitted it ({@code event.created}); minus the window's end + grace, the
     *                    delay the benchmark measures
     */
    public static byte[] rarity(String groupKey, long windowStart, long windowEnd, WindowCounts counts,
            long nowMillis) {
        List<String> k = GroupKeys.values(groupKey);
        WindowCounts.AgentCount agent = counts.agents.getFirst();
        return render(g -> {
            g.writeStringField("@timestamp", Instant.ofEpochMilli(windowEnd).toString());
            event(g, "spawnwatch.fleet.rarity", windowStart, windowEnd, nowMillis);
            rule(g, FleetSettings.SEED_RULE_ID, FleetSettings.SEED_RULE_NAME,
                    "Fleet-wide rarity: a web server's child (executable, working directory, parent executable)"
                            + " seen on exactly one agent fewer than 5 times in a 61-minute window.");
            g.writeObjectFieldStart("process");
            g.writeStringField("executable", k.get(0));
            g.writeStringField("working_directory", k.get(1));
            if (counts.commandLine != null) {
                g.writeStringField("command_line", counts.commandLine);
            }
            g.writeObjectFieldStart("parent");
            g.writeStringField("executable", k.get(2));
            g.writeEndObject();
            g.writeEndObject();
            hostAndAgent(g, agent.hostId, agent.hostName, agent.agentId);
            g.writeObjectFieldStart("spawnwatch");
            g.writeObjectFieldStart("fleet");
            g.writeNumberField("event_count", counts.count);
            g.writeNumberField("agent_count", counts.distinctAgents());
            g.writeArrayFieldStart("hosts");
            for (WindowCounts.AgentCount a : counts.agents) {
                g.writeStartObject();
                writeIfPresent(g, "host_id", a.hostId);
                writeIfPresent(g, "host_name", a.hostName);
                g.writeStringField("agent_id", a.agentId);
                g.writeNumberField("count", a.count);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** The fleet-wide new-terms alert: no host ran this command line under this parent in the history window. */
    public static byte[] newTerm(Candidate c, long previousSeenMillis, long nowMillis) {
        return render(g -> {
            g.writeStringField("@timestamp", Instant.ofEpochMilli(c.timestampMillis()).toString());
            event(g, "spawnwatch.fleet.new_terms", c.timestampMillis(), c.timestampMillis(), nowMillis);
            rule(g, FleetSettings.SEED_RULE_ID + "/fleet-new-terms",
                    "Fleet-wide New Command Line under a Web Server Parent",
                    "First time in the history window that any host in the fleet runs this command line under"
                            + " this parent executable.");
            g.writeObjectFieldStart("process");
            g.writeStringField("executable", c.executable());
            g.writeStringField("working_directory", c.workingDirectory());
            g.writeStringField("command_line", c.commandLine());
            g.writeObjectFieldStart("parent");
            g.writeStringField("executable", c.parentExecutable());
            g.writeEndObject();
            g.writeEndObject();
            hostAndAgent(g, c.hostId(), c.hostName(), c.agentId());
            g.writeObjectFieldStart("spawnwatch");
            g.writeObjectFieldStart("fleet");
            g.writeArrayFieldStart("new_terms_fields");
            g.writeString("process.parent.executable");
            g.writeString("process.command_line");
            g.writeEndArray();
            if (previousSeenMillis > 0) {
                g.writeStringField("previously_seen", Instant.ofEpochMilli(previousSeenMillis).toString());
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void event(JsonGenerator g, String dataset, long start, long end, long now) throws IOException {
        g.writeObjectFieldStart("event");
        g.writeStringField("kind", "alert");
        g.writeArrayFieldStart("category");
        g.writeString("process");
        g.writeEndArray();
        g.writeArrayFieldStart("type");
        g.writeString("start");
        g.writeEndArray();
        g.writeStringField("module", "spawnwatch");
        g.writeStringField("dataset", dataset);
        g.writeStringField("start", Instant.ofEpochMilli(start).toString());
        g.writeStringField("end", Instant.ofEpochMilli(end).toString());
        g.writeStringField("created", Instant.ofEpochMilli(now).toString());
        g.writeEndObject();
    }

    private static void rule(JsonGenerator g, String id, String name, String description) throws IOException {
        g.writeObjectFieldStart("rule");
        g.writeStringField("id", id);
        g.writeStringField("name", name);
        g.writeStringField("description", description);
        g.writeStringField("ruleset", "spawnwatch fleet");
        g.writeEndObject();
    }

    private static void hostAndAgent(JsonGenerator g, String hostId, String hostName, String agentId)
            throws IOException {
        if (hostId != null || hostName != null) {
            g.writeObjectFieldStart("host");
            writeIfPresent(g, "id", hostId);
            writeIfPresent(g, "name", hostName);
            g.writeEndObject();
        }
        g.writeObjectFieldStart("agent");
        g.writeStringField("id", agentId);
        g.writeStringField("type", "spawnwatch");
        g.writeEndObject();
    }

    private static void writeIfPresent(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] render(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("rendering a fleet alert", e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}
