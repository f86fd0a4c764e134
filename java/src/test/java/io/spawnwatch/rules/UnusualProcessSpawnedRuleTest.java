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
class UnusualProcessSpawnedRuleTest {
    private final SigmaRule rule = rule(UNUSUAL_PROCESS);

    @Test
    void shouldMatchShellStartedByPhpFpmThroughTheSymlinkResolvedToDash() {
        assertTrue(rule.detection().matches(shFromPhp("id")));
    }

    @Test
    void shouldMatchAShellRunThroughASymlinkUnderAnotherName() {
        // ln -s /bin/bash /tmp/x; /tmp/x -c id: the kernel resolves the executable, comm is the link's name.
        assertTrue(rule.detection().matches(TestEvent.phpFpmChild("/usr/bin/bash", "x", "/tmp/x -c id")));
    }

    @Test
    void shouldMatchPayloadInTmpRunByWebServerUserDeeperInTheLineage() {
        assertTrue(rule.detection().matches(TestEvent.phpFpmGrandchild("/tmp/x", "x", "/tmp/x")));
    }

    @Test
    void shouldMatchInterpreterAndHiddenNames() {
        assertTrue(rule.detection().matches(TestEvent.phpFpmChild("/usr/bin/python3.11", "python3", "python3 -c 1")));
        assertTrue(rule.detection().matches(TestEvent.phpFpmChild("/var/www/html/.x", ".x", ".x")));
    }

    @Test
    void shouldMatchApacheChildRunningAsAnyUser() {
        TestEvent e = TestEvent.exec().set(Field.IMAGE, "/usr/bin/perl").set(Field.PROCESS_NAME, "perl")
                .set(Field.CURRENT_DIRECTORY, "/usr/lib/cgi-bin").set(Field.USER, "root").set(Field.USER_ID, 0)
                .set(Field.PARENT_IMAGE, "/usr/sbin/apache2").set(Field.PARENT_NAME, "apache2");
        assertTrue(rule.detection().matches(e));
    }

    @Test
    void shouldNotMatchAnOrdinaryHelperOfTheWebApplication() {
        assertFalse(rule.detection().matches(TestEvent.phpFpmChild("/usr/bin/convert", "convert", "convert a b")));
    }

    @Test
    void shouldNotMatchInRootOrHomeOrDotChWorkingDirectories() {
        assertFalse(rule.detection().matches(shFromPhp("id").set(Field.CURRENT_DIRECTORY, "/")));
        assertFalse(rule.detection().matches(shFromPhp("id").set(Field.CURRENT_DIRECTORY, "/home/alice/site")));
        assertFalse(rule.detection().matches(shFromPhp("id").set(Field.CURRENT_DIRECTORY, "/var/www/shop.ch")));
    }

    @Test
    void shouldNotMatchAnAdministratorsShell() {
        assertFalse(rule.detection().matches(loginShellChild("/usr/bin/dash", "sh", "sh -c id")));
    }

    @Test
    void shouldCarryTheRarityOfTheOriginal() {
        var rarity = rule.extension().rarity();
        assertEquals(List.of("Image", "CurrentDirectory", "ParentImage"), rarity.names());
        assertEquals(5, rarity.threshold());
        assertEquals(java.time.Duration.ofMinutes(61), rarity.window());
        assertEquals(21, rule.metadata().riskScore());
    }
}
