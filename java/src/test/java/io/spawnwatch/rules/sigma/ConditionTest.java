package io.spawnwatch.rules.sigma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.Rules;
import io.spawnwatch.rules.TestEvent;
import io.spawnwatch.rules.match.Matcher;
import org.junit.jupiter.api.Test;

/** The condition language: boolean operators, precedence, parentheses, quantifiers. */
class ConditionTest {
    /** Selections a, b, c and _hidden each match one letter of the command line. */
    private static Matcher condition(String condition) {
        return Rules.compile(Rules.rule("process_creation",
                "    sel_a:\n        CommandLine|contains: a\n"
                        + "    sel_b:\n        CommandLine|contains: b\n"
                        + "    filter_c:\n        CommandLine|contains: c\n"
                        + "    _hidden:\n        CommandLine|contains: h\n"
                        + "    condition: " + condition + "\n")).detection();
    }

    private static boolean on(Matcher m, String commandLine) {
        return m.matches(TestEvent.exec().set(Field.COMMAND_LINE, commandLine));
    }

    @Test
    void shouldCombineWithAndOrNot() {
        Matcher m = condition("sel_a and not filter_c or sel_b");
        assertTrue(on(m, "a"));
        assertFalse(on(m, "ac"));
        assertTrue(on(m, "bc"));
        assertFalse(on(m, "x"));
    }

    @Test
    void shouldBindAndTighterThanOrAndRespectParentheses() {
        assertTrue(on(condition("sel_a or sel_b and filter_c"), "a"));
        assertFalse(on(condition("(sel_a or sel_b) and filter_c"), "a"));
        assertTrue(on(condition("(sel_a or sel_b) and filter_c"), "ac"));
    }

    @Test
    void shouldBindNotTighterThanAndButLooserThanOf() {
        Matcher m = condition("not 1 of sel_* and filter_c");
        assertTrue(on(m, "c"));
        assertFalse(on(m, "ac"));
        assertTrue(on(condition("not not sel_a"), "a"));
    }

    @Test
    void shouldQuantifyOverPatterns() {
        assertTrue(on(condition("1 of sel_*"), "b"));
        assertTrue(on(condition("any of sel_*"), "a"));
        assertFalse(on(condition("all of sel_*"), "a"));
        assertTrue(on(condition("all of sel_*"), "ab"));
        assertTrue(on(condition("1 of sel_? and not 1 of filter*"), "a"));
    }

    @Test
    void shouldQuantifyOverThemWithoutUnderscoreIdentifiers() {
        assertTrue(on(condition("all of them"), "abc"));
        assertFalse(on(condition("1 of them"), "h"));
        assertTrue(on(condition("_hidden"), "h"));
    }

    @Test
    void shouldOrAListOfConditions() {
        Matcher m = Rules.compile(Rules.rule("process_creation",
                "    sel_a:\n        CommandLine: a\n    sel_b:\n        CommandLine: b\n"
                        + "    condition:\n        - sel_a\n        - sel_b\n")).detection();
        assertTrue(on(m, "a"));
        assertTrue(on(m, "b"));
        assertFalse(on(m, "c"));
    }

    @Test
    void shouldAcceptKeywordsInAnyCase() {
        assertTrue(on(condition("sel_a AND NOT filter_c"), "a"));
        assertTrue(on(condition("ALL OF sel_*"), "ab"));
    }

    @Test
    void shouldNameTheColumnOfASyntaxError() {
        assertEquals("test.yml:11: condition 'sel_a and (sel_b': missing ')' (column 17)",
                Rules.error(Rules.rule("process_creation", "    sel_a:\n        CommandLine: a\n"
                        + "    sel_b:\n        CommandLine: b\n    condition: sel_a and (sel_b\n")));
    }
}
