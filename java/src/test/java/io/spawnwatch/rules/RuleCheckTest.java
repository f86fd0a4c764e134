package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleCheckTest {
    @TempDir
    Path dir;

    @Test
    void shouldPassTheShippedRules() {
        Path rules = Path.of(System.getProperty("user.dir")).getParent().resolve("rules");
        assertEquals(List.of(), RuleCheck.check(rules));
    }

    @Test
    void shouldReportEveryProblemOfEveryFile() throws Exception {
        Path good = Files.writeString(dir.resolve("good.yml"), Rules.rule("process_creation",
                "    sel:\n        Image: x\n    condition: sel\n"));
        Path dup = Files.writeString(dir.resolve("dup.yml"), Rules.rule("process_creation",
                "    sel:\n        Image: x\n    condition: sel\n"));
        Path bad = Files.writeString(dir.resolve("bad.yml"), Rules.rule("process_creation",
                "    sel:\n        DestinationHostname: x\n    condition: sel\n")
                .replace("0001", "0009"));
        Path ex = Files.writeString(dir.resolve("exceptions.yml"), "exceptions:\n  - id: a\n    match: {Image|re: '('}\n");
        List<String> errors = RuleCheck.check(good, dup, bad, ex, dir.resolve("missing.yml")).stream()
                .map(RuleError::format).toList();
        assertEquals(List.of(
                dir.resolve("exceptions.yml") + ":3: field Image|re: invalid regular expression '(': missing"
                        + " closing ) (regular expressions use RE2 syntax, evaluated in linear time: no backreferences,"
                        + " no lookaround)",
                dir.resolve("missing.yml") + ": cannot read: no such file or directory",
                dup + ":1: duplicate rule id 00000000-0000-4000-8000-000000000001 (already defined by " + good + ":1)",
                bad + ":8: field DestinationHostname is never present in process_creation events (it belongs to"
                        + " network_connection)"),
                errors);
    }
}
