package io.spawnwatch.rules.sigma;

import static io.spawnwatch.rules.Rules.execSelection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.TestEvent;
import io.spawnwatch.rules.match.Matcher;
import org.junit.jupiter.api.Test;

/** Sigma value semantics: case, wildcards, escapes, lists, maps, null and empty. */
class SigmaValueSemanticsTest {
    private static TestEvent cmd(String commandLine) {
        return TestEvent.exec().set(Field.COMMAND_LINE, commandLine).set(Field.IMAGE, "/usr/bin/dash");
    }

    private static Matcher sel(String body) {
        return execSelection(body).detection();
    }

    @Test
    void shouldCompareCaseInsensitivelyByDefault() {
        Matcher m = sel("        CommandLine: 'SH -C ID'\n");
        assertTrue(m.matches(cmd("sh -c id")));
        assertFalse(m.matches(cmd("sh -c idx")));
    }

    @Test
    void shouldFoldAsciiOnlyAndMatchNonAsciiLettersInTheirOwnCase() {
        // Event text is UTF-8 bytes one per char: a non-ASCII letter is two bytes that do not fold.
        assertTrue(sel("        CommandLine|contains: 'ECHO été'\n").matches(cmd("echo été")));
        assertFalse(sel("        CommandLine|contains: 'ÉTÉ'\n").matches(cmd("echo été")));
    }

    @Test
    void shouldTreatStarAndQuestionMarkAsWildcards() {
        Matcher m = sel("        CommandLine: 'sh -c ?d*'\n");
        assertTrue(m.matches(cmd("sh -c id")));
        assertTrue(m.matches(cmd("sh -c id -u")));
        assertFalse(m.matches(cmd("sh -c d")));
    }

    @Test
    void shouldHonourBackslashEscapesOfTheSpecification() {
        assertTrue(sel("        CommandLine: 'a\\*b'\n").matches(cmd("a*b")));
        assertFalse(sel("        CommandLine: 'a\\*b'\n").matches(cmd("axb")));
        assertTrue(sel("        CommandLine: 'a\\?'\n").matches(cmd("a?")));
        assertFalse(sel("        CommandLine: 'a\\?'\n").matches(cmd("ab")));
        // \\* is a backslash followed by a wildcard
        assertTrue(sel("        CommandLine: 'a\\\\*'\n").matches(cmd("a\\xyz")));
        // \\\* is a backslash and a literal star
        assertTrue(sel("        CommandLine: 'a\\\\\\*'\n").matches(cmd("a\\*")));
        assertFalse(sel("        CommandLine: 'a\\\\\\*'\n").matches(cmd("a\\x")));
        // a backslash before anything else is itself
        assertTrue(sel("        Image: 'C:\\Windows'\n").matches(TestEvent.exec().set(Field.IMAGE, "c:\\windows")));
    }

    @Test
    void shouldOrTheValuesOfAList() {
        Matcher m = sel("        CommandLine:\n            - a\n            - b\n");
        assertTrue(m.matches(cmd("a")));
        assertTrue(m.matches(cmd("b")));
        assertFalse(m.matches(cmd("c")));
    }

    @Test
    void shouldAndTheFieldsOfAMapAndOrAListOfMaps() {
        Matcher and = sel("        CommandLine: a\n        Image: /usr/bin/dash\n");
        assertTrue(and.matches(cmd("a")));
        assertFalse(and.matches(cmd("a").set(Field.IMAGE, "/usr/bin/bash")));
        Matcher or = sel("        - CommandLine: a\n        - Image: /usr/bin/bash\n");
        assertTrue(or.matches(cmd("x").set(Field.IMAGE, "/usr/bin/bash")));
        assertFalse(or.matches(cmd("x")));
    }

    @Test
    void shouldMatchNullOnlyWhenTheFieldIsAbsentAndEmptyOnlyWhenEmpty() {
        Matcher nul = sel("        ParentCommandLine: null\n");
        assertTrue(nul.matches(cmd("x")));
        assertFalse(nul.matches(cmd("x").set(Field.PARENT_COMMAND_LINE, "")));
        Matcher empty = sel("        ParentCommandLine: ''\n");
        assertTrue(empty.matches(cmd("x").set(Field.PARENT_COMMAND_LINE, "")));
        assertFalse(empty.matches(cmd("x")));
    }

    @Test
    void shouldNeverMatchAValueAgainstAnAbsentField() {
        assertFalse(sel("        ParentCommandLine|contains: ''\n").matches(cmd("x")));
    }

    @Test
    void shouldCompareNumericFieldsAsNumbers() {
        Matcher m = sel("        UserId:\n            - 33\n            - '48'\n");
        assertTrue(m.matches(cmd("x").set(Field.USER_ID, 48)));
        assertFalse(m.matches(cmd("x").set(Field.USER_ID, 480)));
        assertFalse(m.matches(cmd("x")));
    }

    @Test
    void shouldMatchNumericFieldsAsTextWithStringModifiers() {
        assertTrue(sel("        ProcessId|startswith: '12'\n").matches(cmd("x").set(Field.PROCESS_ID, 1234)));
    }

    @Test
    void shouldCompareAddressesAsBytesNotText() {
        Matcher m = TestHelpers.connectSelection("        DestinationIp: '::1'\n");
        assertTrue(m.matches(TestEvent.connect().set(Field.DESTINATION_IP, "0:0:0:0:0:0:0:1")));
        assertFalse(m.matches(TestEvent.connect().set(Field.DESTINATION_IP, "::2")));
    }

    @Test
    void shouldReadYamlBooleansAndWordsAsTheirText() {
        assertTrue(sel("        CommandLine: on\n").matches(cmd("ON")));
        assertEquals("t", execSelection("        CommandLine: yes\n").metadata().title());
    }
}
