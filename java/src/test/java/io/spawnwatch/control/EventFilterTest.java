package io.spawnwatch.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode doc(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static boolean matches(String json, String... conditions) throws Exception {
        return EventFilter.parse(List.of(conditions)).test(doc(json));
    }

    @Test
    void shouldMatchNestedAndFlatDottedFields() throws Exception {
        assertTrue(matches("{\"process\":{\"name\":\"sh\"}}", "process.name=sh"));
        assertTrue(matches("{\"process.name\":\"sh\"}", "process.name=sh"));
        assertTrue(matches("{\"process\":{\"parent.name\":\"nginx\"}}", "process.parent.name=nginx"));
        assertFalse(matches("{\"process\":{\"name\":\"bash\"}}", "process.name=sh"));
    }

    @Test
    void shouldMatchAnyElementOfAnArrayAndNumbersAsText() throws Exception {
        assertTrue(matches("{\"event\":{\"category\":[\"process\",\"network\"]}}", "event.category=network"));
        assertTrue(matches("{\"destination\":{\"port\":4444}}", "destination.port=4444"));
        assertTrue(matches("{\"a\":{\"b\":true}}", "a.b=true"));
    }

    @Test
    void shouldTreatNotEqualsAsTrueForAnAbsentFieldAndContainsAsSubstring() throws Exception {
        assertTrue(matches("{}", "user.name!=root"));
        assertFalse(matches("{\"user\":{\"name\":\"root\"}}", "user.name!=root"));
        assertTrue(matches("{\"process\":{\"command_line\":\"curl -o /tmp/x http://e\"}}", "process.command_line~/tmp/"));
        assertTrue(matches("{\"process\":{\"args\":\"a=b\"}}", "process.args=a=b"), "the value may hold '='");
    }

    @Test
    void shouldRequireEveryCondition() throws Exception {
        String d = "{\"process\":{\"name\":\"sh\"},\"event\":{\"category\":[\"process\"]}}";
        assertTrue(matches(d, "process.name=sh", "event.category=process"));
        assertFalse(matches(d, "process.name=sh", "event.category=network"));
        assertTrue(EventFilter.parse(List.of()).test(doc(d)));
    }

    @Test
    void shouldRejectAConditionWithoutOperatorOrField() {
        for (String bad : List.of("process.name", "=sh", ".name=sh", "process name=sh")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EventFilter.parse(List.of(bad)));
            assertEquals("filter '" + bad + "' is not FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT with an ECS field"
                    + " name, e.g. process.name=sh", e.getMessage());
        }
    }
}
