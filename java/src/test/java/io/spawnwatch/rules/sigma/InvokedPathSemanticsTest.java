package io.spawnwatch.rules.sigma;

import static io.spawnwatch.rules.Rules.compile;
import static io.spawnwatch.rules.Rules.execSelection;
import static io.spawnwatch.rules.Rules.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.TestEvent;
import io.spawnwatch.rules.match.Matcher;
import org.junit.jupiter.api.Test;

/**
 * Image and ParentImage hold two values where a program was started through
 * a symlink: the resolved executable and the path it was started by (its
 * invoked path). A condition holds when either value matches, as each item of
 * an ECS array does, and as process.args already behaves.
 */
class InvokedPathSemanticsTest {
    /** netcat as Debian runs it when a shell starts {@code nc}. */
    private static TestEvent nc() {
        return TestEvent.exec().set(Field.IMAGE, "/usr/bin/nc.openbsd").set(Field.INVOKED_PATH, "/usr/bin/nc")
                .set(Field.COMMAND_LINE, "nc -w1 127.0.0.1 9");
    }

    /** The same program started by its own path: Image only. */
    private static TestEvent ncOpenbsd() {
        return TestEvent.exec().set(Field.IMAGE, "/usr/bin/nc.openbsd").set(Field.COMMAND_LINE, "nc.openbsd -w1");
    }

    private static Matcher sel(String body) {
        return execSelection(body).detection();
    }

    private static Matcher withFilter(String selection, String filter) {
        return compile(rule("process_creation", "    sel:\n" + selection + "    filter:\n" + filter
                + "    condition: sel and not filter\n")).detection();
    }

    @Test
    void shouldMatchAPositiveConditionOnEitherValue() {
        assertTrue(sel("        Image|endswith: '/nc'\n").matches(nc()), "the invoked path");
        assertTrue(sel("        Image|endswith: '/nc.openbsd'\n").matches(nc()), "the resolved executable");
        assertFalse(sel("        Image|endswith: '/nc'\n").matches(ncOpenbsd()), "no symlink, no second value");
        assertTrue(sel("        Image: '/usr/bin/nc'\n").matches(nc()));
        assertTrue(sel("        process.executable|endswith: '/nc'\n").matches(nc()), "the ECS name is Image");
        assertFalse(sel("        Image|endswith: '/ncat'\n").matches(nc()), "neither value");
    }

    @Test
    void shouldExcludeWithAFilterWhenEitherValueMatches() {
        String anyNc = "        Image|contains: '/nc'\n";
        assertFalse(withFilter(anyNc, "        Image|endswith: '/nc'\n").matches(nc()), "filter on the invoked path");
        assertFalse(withFilter(anyNc, "        Image|endswith: '.openbsd'\n").matches(nc()), "filter on exe");
        assertTrue(withFilter(anyNc, "        Image|endswith: '/ncat'\n").matches(nc()), "filter on neither");
    }

    @Test
    void shouldNeedEachAllValueInSomeValueAsForAList() {
        // |all: each value must match one of the values, not necessarily the same one (an ECS array).
        assertTrue(sel("        Image|all|endswith:\n            - '/nc'\n            - '.openbsd'\n").matches(nc()));
        assertFalse(sel("        Image|all|endswith:\n            - '/nc'\n            - '.traditional'\n")
                .matches(nc()));
    }

    @Test
    void shouldTestNeqAndExistsOverBothValues() {
        assertFalse(sel("        Image|neq: '/usr/bin/nc'\n").matches(nc()), "one value is equal");
        assertTrue(sel("        Image|neq: '/usr/bin/ncat'\n").matches(nc()));
        assertTrue(sel("        Image|neq: '/usr/bin/nc'\n").matches(ncOpenbsd()));
        TestEvent onlyInvoked = TestEvent.exec().set(Field.INVOKED_PATH, "/usr/bin/nc");
        assertTrue(sel("        Image|exists: true\n").matches(onlyInvoked));
        assertFalse(sel("        Image|exists: true\n").matches(TestEvent.exec()));
    }

    @Test
    void shouldTestTheInvokedPathAloneByItsOwnName() {
        assertTrue(sel("        InvokedPath|endswith: '/nc'\n").matches(nc()));
        assertFalse(sel("        InvokedPath|endswith: '.openbsd'\n").matches(nc()), "not the executable");
        assertFalse(sel("        InvokedPath|exists: true\n").matches(ncOpenbsd()));
        assertTrue(sel("        spawnwatch.process.invoked_path: '/usr/bin/nc'\n").matches(nc()));
    }

    @Test
    void shouldGiveParentImageTheParentsInvokedPath() {
        // nc -e /bin/sh: the shell's parent is nc, started as /usr/bin/nc.
        TestEvent shell = TestEvent.exec().set(Field.IMAGE, "/usr/bin/dash").set(Field.INVOKED_PATH, "/bin/sh")
                .set(Field.PARENT_IMAGE, "/usr/bin/nc.openbsd").set(Field.PARENT_INVOKED_PATH, "/usr/bin/nc");
        assertTrue(sel("        ParentImage|endswith: '/nc'\n").matches(shell));
        assertTrue(sel("        ParentImage|endswith: '/nc.openbsd'\n").matches(shell));
        assertFalse(withFilter("        Image|endswith: '/sh'\n", "        ParentImage|endswith: '/nc'\n")
                .matches(shell), "a filter on the parent excludes by either value");
        assertTrue(sel("        ParentInvokedPath: '/usr/bin/nc'\n").matches(shell));
        assertFalse(sel("        ParentImage|endswith: '/sh'\n").matches(shell), "the child's values are not the parent's");
    }

    @Test
    void shouldNameTheFieldsInRulesAndMessages() {
        assertEquals("Image", FieldCatalog.sigmaName(Field.IMAGE));
        assertEquals("InvokedPath", FieldCatalog.sigmaName(Field.INVOKED_PATH));
        assertEquals("ParentInvokedPath", FieldCatalog.sigmaName(Field.PARENT_INVOKED_PATH));
    }
}
