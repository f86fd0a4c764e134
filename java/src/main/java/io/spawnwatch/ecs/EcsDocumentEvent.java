package io.spawnwatch.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import io.spawnwatch.event.EventType;
import io.spawnwatch.event.EventView;
import io.spawnwatch.event.Field;
import io.spawnwatch.rules.match.CidrSet;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * An ECS document this sensor wrote (one line of {@code run --events}), read
 * back as the rules see a live event: each {@link Field} from the path its
 * {@link Field#ecsName()} names, so a recorded file can seed baselines with
 * exactly what the live sensor would have recorded. Allocates per read; for
 * offline use, not the hot path.
 */
public final class EcsDocumentEvent implements EventView {
    private final JsonNode doc;
    private final EventType type;
    private final long timestampNanos;

    private EcsDocumentEvent(JsonNode doc, EventType type, long timestampNanos) {
        this.doc = doc;
        this.type = type;
        this.timestampNanos = timestampNanos;
    }

    /**
     * Reads one document.
     *
     * @throws IllegalArgumentException naming what is missing or wrong: not an
     *     object, an event.category other than process or network, an
     *     {@code @timestamp} that is not an ISO-8601 instant
     */
    public static EcsDocumentEvent of(JsonNode doc) {
        if (!doc.isObject()) {
            throw new IllegalArgumentException("expected a JSON object (an ECS document)");
        }
        EventType type = null;
        for (JsonNode c : doc.path("event").path("category")) {
            if ("process".equals(c.asText())) {
                type = EventType.EXEC;
            } else if ("network".equals(c.asText())) {
                type = EventType.CONNECT;
            }
        }
        if (type == null) {
            throw new IllegalArgumentException("event.category: expected [\"process\"] or [\"network\"], found "
                    + doc.path("event").path("category"));
        }
        String ts = doc.path("@timestamp").asText("");
        try {
            Instant t = Instant.parse(ts);
            return new EcsDocumentEvent(doc, type, t.getEpochSecond() * 1_000_000_000L + t.getNano());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("@timestamp: expected an ISO-8601 instant, found '" + ts + "'");
        }
    }

    /** Whether the document is an alert (it repeats an event document of the same recording). */
    public boolean isAlert() {
        return "alert".equals(doc.path("event").path("kind").asText());
    }

    private JsonNode node(Field field) {
        String name = field.ecsName();
        if (name == null) {
            return null;
        }
        JsonNode n = doc;
        for (String part : name.split("\\.")) {
            n = n.path(part);
        }
        return n.isMissingNode() || n.isNull() ? null : n;
    }

    @Override
    public EventType type() {
        return type;
    }

    @Override
    public long timestampNanos() {
        return timestampNanos;
    }

    @Override
    public CharSequence text(Field field) {
        if (field == Field.INITIATED) {
            return type == EventType.CONNECT && "egress".equals(doc.path("network").path("direction").asText())
                    ? "true" : null;
        }
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (n.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode item : n) {
                sb.append(sb.isEmpty() ? "" : " ").append(item.asText());
            }
            return sb.toString();
        }
        return n.asText();
    }

    @Override
    public CharSequence item(Field field, int index) {
        JsonNode n = node(field);
        return n != null && n.isArray() && index < n.size() ? n.get(index).asText() : null;
    }

    @Override
    public long number(Field field) {
        if (field.kind() != Field.Kind.NUMBER) {
            return ABSENT;
        }
        JsonNode n = node(field);
        if (n == null) {
            return ABSENT;
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        try {
            return Long.parseLong(n.asText()); // user.id, group.id: ECS keywords
        } catch (NumberFormatException e) {
            return ABSENT;
        }
    }

    @Override
    public int address(Field field, byte[] out) {
        JsonNode n = node(field);
        byte[] a = n == null ? null : CidrSet.parseLiteral(n.asText());
        if (a == null) {
            return 0;
        }
        System.arraycopy(a, 0, out, 0, a.length);
        return a.length;
    }
}
