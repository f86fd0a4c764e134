package io.spawnwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config check and rules check on the bad files: one line each, never a trace. */
class CheckCommandsHardeningTest {
    @TempDir
    Path dir;


    @Test
    void shouldRefuseDevZeroBeforeReadingIt() {
        CliRun config = CliRun.run("config", "check", "/dev/zero");
        assertEquals(1, config.code());
        assertEquals("/dev/zero: not a regular file (a device, socket or pipe); expected a YAML file\n",
                config.err());
        CliRun rules = CliRun.run("rules", "check", "/dev/zero");
        assertEquals(1, rules.code());
        assertEquals("/dev/zero: not a regular file (a device, socket or pipe); expected a YAML file\n", rules.err());
    }

    @Test
    void shouldRefuseAConditionNestedInThreeThousandParenthesesInOneLine() throws Exception {
        Path rule = Files.writeString(dir.resolve("deep.yml"), """
                title: Deep
                id: 6d1c2b1e-0000-4000-8000-000000000003
                logsource: {product: linux, category: process_creation}
                detection:
                    sel:
                        Image: /x
                    condition: %s
                """.formatted("(".repeat(3000) + "sel" + ")".repeat(3000)));
        CliRun r = CliRun.run("rules", "check", rule.toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith(rule + ":7: condition '((((("), r.err());
        assertTrue(r.err().contains("nested deeper than 64 levels (parentheses and 'not'); simplify the condition"),
                r.err());
    }

    @Test
    void shouldNameTheLineOfALatin1ByteInARuleFile() throws Exception {
        Path rule = dir.resolve("latin1.yml");
        Files.write(rule, ("title: caf\u00e9\nid: 6d1c2b1e-0000-4000-8000-000000000004\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        CliRun r = CliRun.run("rules", "check", dir.toString());
        assertEquals(1, r.code());
        assertEquals(rule + ":1: line 1, column 11: not UTF-8 (byte 0xe9); save the file as UTF-8\n", r.err());
    }

    @Test
    void shouldRefuseAnUnknownIdInDisabledRules() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yml"), """
                detection:
                  disabled_rules: [c903906e-993c-4f94-895a-ad73f7c2c7ee, c903906e-993c-4f94-895a-ad73f7c2c7ef]
                """);
        CliRun r = CliRun.run("config", "check", file.toString());
        assertEquals(1, r.code());
        assertEquals(file + ":2: detection.disabled_rules[1]: no rule has id"
                + " 'c903906e-993c-4f94-895a-ad73f7c2c7ef' (the built-in rules and rules.paths were read); the rule"
                + " meant to be turned off would stay on\n", r.err());
    }

    @Test
    void shouldPrintRulesCheckHelpWithoutPicocliWarnings() {
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(stderr, true, StandardCharsets.UTF_8));
        CliRun r;
        try {
            r = CliRun.run("rules", "check", "--help");
        } finally {
            System.setErr(saved);
        }
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Resolve %lists% against this configuration"), r.out());
        assertFalse(stderr.toString(StandardCharsets.UTF_8).contains("picocli WARN"), stderr.toString());
        assertEquals("", r.err());
    }
}
