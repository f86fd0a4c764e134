package io.spawnwatch.rules;

import static io.spawnwatch.rules.BuiltinRuleFixture.BIND_SHELL;
import static io.spawnwatch.rules.BuiltinRuleFixture.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.EventType;
import io.spawnwatch.event.Field;
import io.spawnwatch.rules.sigma.SigmaRule;
import org.junit.jupiter.api.Test;

/** "Bind Shell from the Web Lineage": listens below a web server, never the server's own. */
class BindShellRuleTest {
    private static TestEvent listen(String comm, String image, long depth, long port) {
        return TestEvent.listen().set(Field.PROCESS_NAME, comm).set(Field.IMAGE, image).set(Field.USER, "www-data")
                .set(Field.USER_ID, 33).set(Field.LINEAGE_DEPTH, depth).set(Field.DESTINATION_IP, "0.0.0.0")
                .set(Field.DESTINATION_PORT, port);
    }

    @Test
    void shouldMatchAListenerBelowTheWebServer() {
        SigmaRule rule = rule(BIND_SHELL);
        assertEquals(EventType.CONNECT, rule.metadata().eventType(), "a network_connection rule");
        assertTrue(rule.detection().matches(listen("nc", "/usr/bin/nc.openbsd", 2, 4445)));
        assertTrue(rule.detection().matches(listen("python3", "/usr/bin/python3.11", 1, 31337)));
        assertTrue(rule.detection().matches(listen("x", "/tmp/.x", 5, 8080)));
    }

    @Test
    void shouldNotMatchTheWebServersOwnListenersOrOutboundConnections() {
        SigmaRule rule = rule(BIND_SHELL);
        assertFalse(rule.detection().matches(listen("nginx", "/usr/sbin/nginx", 0, 80)));
        assertFalse(rule.detection().matches(listen("node", "/usr/bin/node", 0, 3000)));
        // An outbound connect from the lineage is another rule's business.
        assertFalse(rule.detection().matches(TestEvent.connect().set(Field.PROCESS_NAME, "nc")
                .set(Field.LINEAGE_DEPTH, 2).set(Field.DESTINATION_IP, "93.184.216.34").set(Field.DESTINATION_PORT, 4445)));
    }
}
