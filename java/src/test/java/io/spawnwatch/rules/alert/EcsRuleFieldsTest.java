package io.spawnwatch.rules.alert;

import io.spawnwatch.rules.model.MitreAttack;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.rules.Rules;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class EcsRuleFieldsTest {
    private static RuleMetadata metadata() {
        return Rules.compile("""
                title: Suspicious Web Server Child Process
                id: c903906e-993c-4f94-895a-ad73f7c2c7ee
                description: A web server starts a discovery tool.
                author: spawnwatch
                date: 2026-11-27
                modified: 2026-11-28
                references: [https://example.org/a, https://example.org/b]
                tags: [attack.persistence, attack.t1505.003, attack.execution, attack.t1059.004, attack.t1059.006,
                       attack.command-and-control, attack.t1071, cve.2021-44228]
                level: high
                logsource: {product: linux, category: process_creation}
                detection: {sel: {Image: x}, condition: sel}
                """).metadata();
    }

    @Test
    void shouldWriteRuleAndThreatAsEcs() throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("event");
            g.writeStringField("kind", "alert");
            EcsRuleFields.writeEventSeverity(metadata(), g);
            g.writeEndObject();
            EcsRuleFields.writeRuleAndThreat(metadata(), g);
            g.writeEndObject();
        }
        assertEquals("{\"event\":{\"kind\":\"alert\",\"severity\":73,\"risk_score\":73},"
                + "\"rule\":{\"id\":\"c903906e-993c-4f94-895a-ad73f7c2c7ee\","
                + "\"uuid\":\"c903906e-993c-4f94-895a-ad73f7c2c7ee\",\"name\":\"Suspicious Web Server Child Process\","
                + "\"description\":\"A web server starts a discovery tool.\",\"version\":\"2026-11-28\","
                + "\"ruleset\":\"spawnwatch\",\"category\":\"process_creation\",\"author\":[\"spawnwatch\"],"
                + "\"reference\":\"https://example.org/a\"},"
                + "\"threat\":{\"framework\":\"MITRE ATT&CK\","
                + "\"tactic\":{\"id\":[\"TA0003\",\"TA0002\",\"TA0011\"],"
                + "\"name\":[\"Persistence\",\"Execution\",\"Command and Control\"],"
                + "\"reference\":[\"https://attack.mitre.org/tactics/TA0003/\",\"https://attack.mitre.org/tactics/TA0002/\","
                + "\"https://attack.mitre.org/tactics/TA0011/\"]},"
                + "\"technique\":{\"id\":[\"T1505\",\"T1059\",\"T1071\"],"
                + "\"name\":[\"Server Software Component\",\"Command and Scripting Interpreter\","
                + "\"Application Layer Protocol\"],"
                + "\"reference\":[\"https://attack.mitre.org/techniques/T1505/\","
                + "\"https://attack.mitre.org/techniques/T1059/\",\"https://attack.mitre.org/techniques/T1071/\"],"
                + "\"subtechnique\":{\"id\":[\"T1505.003\",\"T1059.004\",\"T1059.006\"],"
                + "\"name\":[\"Web Shell\",\"Unix Shell\",\"Python\"],"
                + "\"reference\":[\"https://attack.mitre.org/techniques/T1505/003/\","
                + "\"https://attack.mitre.org/techniques/T1059/004/\","
                + "\"https://attack.mitre.org/techniques/T1059/006/\"]}}}}", out.toString());
    }

    @Test
    void shouldRenderOnceTheSameBytesItWritesFieldByField() throws Exception {
        RuleMetadata rule = metadata();
        EcsRuleFields.Rendered rendered = EcsRuleFields.render(rule);
        for (boolean utf8 : new boolean[] {true, false}) {
            java.io.ByteArrayOutputStream direct = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream cached = new java.io.ByteArrayOutputStream();
            for (java.io.ByteArrayOutputStream out : List.of(direct, cached)) {
                JsonFactory json = new JsonFactory();
                try (JsonGenerator g = utf8 ? json.createGenerator(out)
                        : json.createGenerator(new java.io.OutputStreamWriter(out, "UTF-8"))) {
                    g.writeStartObject();
                    g.writeStringField("before", "x");
                    if (out == direct) {
                        EcsRuleFields.writeRuleAndThreat(rule, g);
                    } else {
                        rendered.write(g);
                    }
                    g.writeNumberField("after", 1);
                    g.writeEndObject();
                }
            }
            assertEquals(direct.toString("UTF-8"), cached.toString("UTF-8"));
        }
    }

    @Test
    void shouldMapLevelsToElasticRiskScores() {
        assertEquals(List.of(1, 21, 47, 73, 99), java.util.Arrays.stream(io.spawnwatch.rules.model.RuleLevel.values())
                .map(io.spawnwatch.rules.model.RuleLevel::riskScore).toList());
    }

    @Test
    void shouldKeepUnknownTechniquesWithTheirIdAsName() {
        MitreAttack.Mapping m = MitreAttack.fromTags(List.of("attack.t9999.001", "attack.initial_access"));
        assertEquals(List.of(new MitreAttack.Technique("T9999", "T9999")), m.techniques());
        assertEquals(List.of(new MitreAttack.Technique("T9999.001", "T9999.001")), m.subtechniques());
        assertEquals(List.of(new MitreAttack.Tactic("TA0001", "Initial Access")), m.tactics());
    }
}
