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
class SuspiciousWebServerChildProcessRuleTest {
    private final SigmaRule rule = rule(SUSPICIOUS_CHILD_PROCESS);

    @Test
    void shouldMatchDiscoveryToolRunByTheWebShellsShell() {
        assertTrue(rule.detection().matches(TestEvent.phpFpmGrandchild("/usr/bin/whoami", "whoami", "whoami")));
        assertTrue(rule.detection().matches(TestEvent.phpFpmGrandchild("/usr/bin/uname", "uname", "uname -a")));
    }

    @Test
    void shouldMatchDirectChildOfNginxWithoutLineage() {
        TestEvent e = TestEvent.exec().set(Field.IMAGE, "/usr/bin/cat").set(Field.PROCESS_NAME, "cat")
                .set(Field.PARENT_IMAGE, "/usr/sbin/nginx").set(Field.PARENT_NAME, "nginx");
        assertTrue(rule.detection().matches(e));
    }

    @Test
    void shouldMatchIptablesByNameThoughItResolvesToXtables() {
        TestEvent e = TestEvent.phpFpmGrandchild("/usr/sbin/xtables-nft-multi", "iptables", "iptables -L");
        assertTrue(rule.detection().matches(e));
    }

    @Test
    void shouldMatchTomcatByParentCommandLine() {
        TestEvent e = TestEvent.exec().set(Field.IMAGE, "/usr/bin/whoami").set(Field.PROCESS_NAME, "whoami")
                .set(Field.PARENT_IMAGE, "/usr/lib/jvm/java-17-openjdk-amd64/bin/java")
                .set(Field.PARENT_NAME, "java").set(Field.PARENT_COMMAND_LINE,
                        "/usr/lib/jvm/java-17-openjdk-amd64/bin/java -Dcatalina.base=/var/lib/tomcat9 x");
        assertTrue(rule.detection().matches(e));
    }

    @Test
    void shouldNotMatchOtherToolsOrOutsideWebServers() {
        assertFalse(rule.detection().matches(TestEvent.phpFpmGrandchild("/usr/bin/convert", "convert", "convert")));
        assertFalse(rule.detection().matches(loginShellChild("/usr/bin/whoami", "whoami", "whoami")));
    }
}
