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
class UnusualChildAndCommandRuleTest {
    @Test
    void shouldLeaveCoveredProgramsToTheSuspiciousRuleAndTakeTheRest() {
        SigmaRule rule = rule(UNUSUAL_CHILD);
        assertTrue(rule.detection().matches(TestEvent.phpFpmChild("/usr/bin/id", "id", "id")));
        assertFalse(rule.detection().matches(shFromPhp("id")));
        assertFalse(rule.detection().matches(TestEvent.phpFpmChild("/tmp/x", "x", "/tmp/x")));
        assertEquals(List.of("CommandLine", "Image"), rule.extension().newTerms().names());
    }

    @Test
    void shouldIgnoreJavaParentsOutsideU0AsTheOriginalDoes() {
        TestEvent e = TestEvent.exec().set(Field.IMAGE, "/usr/bin/id").set(Field.PROCESS_NAME, "id")
                .set(Field.COMMAND_LINE, "id").set(Field.PARENT_NAME, "java")
                .set(Field.PARENT_IMAGE, "/usr/lib/jvm/bin/java")
                .set(Field.PARENT_COMMAND_LINE, "java -cp x org.apache.catalina.startup.Bootstrap start");
        assertFalse(rule(UNUSUAL_CHILD).detection().matches(e));
        e.set(Field.PARENT_IMAGE, "/u01/app/jdk/bin/java");
        assertTrue(rule(UNUSUAL_CHILD).detection().matches(e));
    }

    @Test
    void shouldTakeShellsWithDashCFromTheDirectParentOnly() {
        SigmaRule rule = rule(UNUSUAL_COMMAND);
        assertTrue(rule.detection().matches(shFromPhp("uname -a")));
        assertFalse(rule.detection().matches(TestEvent.phpFpmGrandchild("/usr/bin/dash", "sh", "sh -c uname")));
        assertFalse(rule.detection().matches(TestEvent.phpFpmChild("/usr/bin/dash", "sh", "sh /srv/x.sh")));
        assertEquals(List.of("CommandLine", "ParentImage"), rule.extension().newTerms().names());
    }
}
