package io.spawnwatch.ecs;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.output.Document;
import io.spawnwatch.output.DocumentKind;
import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.rules.alert.EcsRuleFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The rendering stage: turns the current event into NDJSON {@link Document}s, writing the event's fields once
 * however many documents it becomes (its event document and one alert per rule that fired). What is written is
 * {@link EcsEventWriter}'s: this class renders its parts (the timestamp, event classification, the common
 * fields from host to network, the spawnwatch fields) once per event into fragments, each rule's parts once
 * per rule, and joins fragments into each document. The result is byte for byte what EcsEventWriter writes
 * for a whole document (DocumentRendererTest checks it), plus {@code spawnwatch.enrichment: "pending"} when a
 * field waited for /proc.
 *
 * <p>Call {@link #reset} for each event, then {@link #event} and {@link #alert} as needed; fragments are
 * rendered on the first document, so an event nobody wants rendered costs nothing. One per reader thread.
 */
public final class DocumentRenderer {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_RULES = 1024; // rules whose fragments are kept; cleared past this (reloads)
    private static final byte[] NOTHING = new byte[0];
    private static final byte[] OPEN = bytes("{");
    private static final byte[] COMMA = bytes(",");
    private static final byte[] EVENT_KIND = bytes(",\"event\":{\"kind\":\"event\",");
    private static final byte[] ALERT_KIND = bytes(",\"event\":{\"kind\":\"alert\",");
    private static final byte[] CLOSE_EVENT = bytes("},");
    private static final byte[] SPAWNWATCH = bytes(",\"spawnwatch\":{");
    private static final byte[] REPEATS = bytes("\"repeats_suppressed\":");
    private static final byte[] PENDING = bytes(",\"enrichment\":\"pending\"");
    private static final byte[] CLOSE = bytes("}");
    private static final byte[] END = bytes("}\n");

    /** A rule's two fragments: event.severity/risk_score (inside "event") and rule.* + threat.*. */
    private record RuleFragments(byte[] severity, byte[] fields) {}

    private final EcsEventWriter ecs;
    private final Fragments scratch = new Fragments();
    private final Map<RuleMetadata, RuleFragments> rules = new IdentityHashMap<>();
    private EnrichedEvent event;
    private byte[] timestamp;
    private byte[] classification;
    private byte[] common;
    private byte[] spawnwatch;
    /** ecs, host and agent: rendered once, the same in every document. */
    private byte[] constants;

    public DocumentRenderer(EcsEventWriter ecs) {
        this.ecs = ecs;
    }

    /** Makes {@code ev} the event the next documents are about; renders nothing yet. */
    public void reset(EnrichedEvent ev) {
        event = ev;
        timestamp = null;
    }

    /** The current event's event document ({@code event.kind: "event"}). */
    public Document event() throws IOException {
        render();
        return document(DocumentKind.EVENT, join(OPEN, timestamp, COMMA, constants, EVENT_KIND, identity(), COMMA,
                classification, CLOSE_EVENT, common, SPAWNWATCH, spawnwatch, pending(), CLOSE, END));
    }

    /**
     * An alert of the current event: its fields, {@code event.kind: "alert"} with the rule's severity and risk
     * score, {@code rule.*}, {@code threat.*} and {@code spawnwatch.repeats_suppressed}.
     */
    public Document alert(RuleMetadata rule, long repeatsSuppressed) throws IOException {
        render();
        RuleFragments r = fragments(rule);
        byte[] repeats = bytes(Long.toString(repeatsSuppressed));
        EnrichedEvent ev = event;
        byte[] message = scratch.render(g -> ecs.writeMessage(g, ev, rule, repeatsSuppressed));
        return document(DocumentKind.ALERT, join(OPEN, timestamp, COMMA, constants, ALERT_KIND, identity(), COMMA,
                classification, separator(r.severity()), r.severity(), CLOSE_EVENT, message, COMMA, common,
                SPAWNWATCH, REPEATS, repeats, COMMA, spawnwatch, pending(), CLOSE, separator(r.fields()), r.fields(),
                END));
    }

    /** event.id and event.created: each document its own. */
    private byte[] identity() throws IOException {
        return scratch.render(ecs::writeEventIdentity);
    }

    private byte[] pending() {
        return event.enrichmentPending() ? PENDING : NOTHING;
    }

    /** A comma before a fragment, or nothing before an empty one. */
    private static byte[] separator(byte[] fragment) {
        return fragment.length == 0 ? NOTHING : COMMA;
    }

    private Document document(DocumentKind kind, byte[] line) {
        return new Document(kind, line, event.record().lineageRoot(), event.record().rootStartBootNanos(),
                event.timestampNanos());
    }

    private void render() throws IOException {
        if (timestamp != null) {
            return;
        }
        EnrichedEvent ev = event;
        if (constants == null) {
            constants = scratch.render(ecs::writeConstants);
        }
        timestamp = scratch.render(g -> ecs.writeTimestamp(g, ev));
        classification = scratch.render(g -> ecs.writeEventClassification(g, ev));
        common = scratch.render(g -> ecs.writeCommonFields(g, ev));
        spawnwatch = scratch.render(g -> ecs.writeSpawnwatchFields(g, ev));
    }

    private RuleFragments fragments(RuleMetadata rule) throws IOException {
        RuleFragments f = rules.get(rule);
        if (f == null) {
            if (rules.size() >= MAX_RULES) {
                rules.clear();
            }
            EcsRuleFields.Rendered rendered = EcsRuleFields.render(rule);
            f = new RuleFragments(scratch.render(g -> EcsRuleFields.writeEventSeverity(rule, g)), scratch.render(rendered::write));
            rules.put(rule, f);
        }
        return f;
    }

    private static byte[] join(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes fields inside a throw-away object and keeps what is between its braces. */
    private static final class Fragments {
        interface Body {
            void write(JsonGenerator g) throws IOException;
        }

        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);

        byte[] render(Body body) throws IOException {
            buffer.reset();
            try (JsonGenerator g = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
                g.writeStartObject();
                body.write(g);
                g.writeEndObject();
            }
            byte[] whole = buffer.toByteArray();
            return java.util.Arrays.copyOfRange(whole, 1, whole.length - 1);
        }
    }
}
