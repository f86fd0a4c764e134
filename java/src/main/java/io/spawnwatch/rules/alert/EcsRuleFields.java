package io.spawnwatch.rules.alert;

import io.spawnwatch.rules.model.MitreAttack;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.spawnwatch.rules.model.RuleMetadata;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/**
 * The rule part of an ECS alert. ECS keyword fields may hold arrays, and a
 * rule maps to several tactics and techniques, so {@code threat.tactic.id},
 * {@code threat.technique.id} etc. are parallel arrays in tag order (what
 * Elastic's own alerts look like once flattened).
 */
public final class EcsRuleFields {
    /** {@code rule.ruleset}: lets a SIEM tell our rules from its own. */
    public static final String RULESET = "spawnwatch";

    private static final JsonFactory JSON = new JsonFactory();

    private EcsRuleFields() {}

    public static void writeRuleAndThreat(RuleMetadata rule, JsonGenerator g) throws IOException {
        g.writeFieldName("rule");
        writeRule(rule, g);
        if (!rule.attack().isEmpty()) {
            g.writeFieldName("threat");
            writeThreat(rule.attack(), g);
        }
    }

    /**
     * The {@code rule} and {@code threat} objects of one rule, rendered once:
     * every alert of the rule repeats them byte for byte, and writing them
     * field by field (a long description, the ATT&CK names and links) cost
     * more than the rest of an alert. {@link #write} copies the UTF-8 bytes.
     */
    public static final class Rendered {
        private final SerializableString rule;
        private final SerializableString threat;

        private Rendered(SerializableString rule, SerializableString threat) {
            this.rule = rule;
            this.threat = threat;
        }

        /** Writes the two fields into the caller's open object, as {@link #writeRuleAndThreat} does. */
        public void write(JsonGenerator g) throws IOException {
            g.writeFieldName("rule");
            g.writeRawValue(rule);
            if (threat != null) {
                g.writeFieldName("threat");
                g.writeRawValue(threat);
            }
        }
    }

    /** Renders the rule's fields for {@link Rendered#write}. */
    public static Rendered render(RuleMetadata rule) {
        try {
            String threat = null;
            if (!rule.attack().isEmpty()) {
                StringWriter t = new StringWriter();
                try (JsonGenerator g = JSON.createGenerator(t)) {
                    writeThreat(rule.attack(), g);
                }
                threat = t.toString();
            }
            StringWriter r = new StringWriter();
            try (JsonGenerator g = JSON.createGenerator(r)) {
                writeRule(rule, g);
            }
            return new Rendered(new SerializedString(r.toString()),
                    threat == null ? null : new SerializedString(threat));
        } catch (IOException e) {
            throw new UncheckedIOException("rendering the ECS fields of rule " + rule.id(), e); // a StringWriter
        }
    }

    private static void writeRule(RuleMetadata rule, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", rule.id());
        g.writeStringField("uuid", rule.id());
        g.writeStringField("name", rule.title());
        if (rule.description() != null) {
            g.writeStringField("description", rule.description());
        }
        g.writeStringField("version", rule.version());
        g.writeStringField("ruleset", RULESET);
        g.writeStringField("category", io.spawnwatch.rules.sigma.SigmaRuleParser.category(rule.eventType()));
        if (rule.author() != null) {
            g.writeArrayFieldStart("author");
            for (String a : rule.author().split("\\s*,\\s*")) {
                g.writeString(a);
            }
            g.writeEndArray();
        }
        if (!rule.references().isEmpty()) {
            g.writeStringField("reference", rule.references().getFirst());
        }
        g.writeEndObject();
    }

    private static void writeThreat(MitreAttack.Mapping attack, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("framework", "MITRE ATT&CK");
        if (!attack.tactics().isEmpty()) {
            g.writeObjectFieldStart("tactic");
            strings(g, "id", attack.tactics(), MitreAttack.Tactic::id);
            strings(g, "name", attack.tactics(), MitreAttack.Tactic::name);
            strings(g, "reference", attack.tactics(), MitreAttack.Tactic::reference);
            g.writeEndObject();
        }
        if (!attack.techniques().isEmpty()) {
            g.writeObjectFieldStart("technique");
            strings(g, "id", attack.techniques(), MitreAttack.Technique::id);
            strings(g, "name", attack.techniques(), MitreAttack.Technique::name);
            strings(g, "reference", attack.techniques(), MitreAttack.Technique::reference);
            if (!attack.subtechniques().isEmpty()) {
                g.writeObjectFieldStart("subtechnique");
                strings(g, "id", attack.subtechniques(), MitreAttack.Technique::id);
                strings(g, "name", attack.subtechniques(), MitreAttack.Technique::name);
                strings(g, "reference", attack.subtechniques(), MitreAttack.Technique::reference);
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    public static void writeEventSeverity(RuleMetadata rule, JsonGenerator g) throws IOException {
        g.writeNumberField("severity", rule.severity());
        g.writeNumberField("risk_score", rule.riskScore());
    }

    private static <T> void strings(JsonGenerator g, String name, List<T> items, Function<T, String> f)
            throws IOException {
        g.writeArrayFieldStart(name);
        for (T item : items) {
            g.writeString(f.apply(item));
        }
        g.writeEndArray();
    }
}
