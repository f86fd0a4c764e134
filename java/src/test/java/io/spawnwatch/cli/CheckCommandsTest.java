package io.spawnwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline verbs: config check and rules check, on files, with no sensor. */
class CheckCommandsTest {
    @TempDir
    Path dir;


    @Test
    void shouldAcceptAValidConfigurationFile() throws Exception {
        Path file = Files.writeString(dir.resolve("ok.yml"), "kernel:\n  ring_buffer_bytes: 65536\n");
        CliRun r = CliRun.run("config", "check", file.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(file + ": ok (32 web-server names, ring 65536 bytes)\n", r.out());
    }

    @Test
    void shouldNameTheKeyOfABadConfigurationValue() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yml"), "control:\n  socket: relative.sock\n");
        CliRun r = CliRun.run("config", "check", file.toString());
        assertEquals(1, r.code());
        assertEquals(file + ":2: control.socket: expected an absolute path, got relative.sock\n", r.err());
    }

    @Test
    void shouldLintRuleFilesWithFileAndLine() throws Exception {
        Path rule = Files.writeString(dir.resolve("r.yml"), """
                title: Bad
                id: 6d1c2b1e-0000-4000-8000-000000000002
                logsource: {product: linux, category: process_creation}
                detection:
                    sel:
                        Image|nosuchmodifier: /x
                    condition: sel
                """);
        CliRun r = CliRun.run("rules", "check", rule.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith(rule + ":6: "), r.err());
        assertTrue(r.err().contains("nosuchmodifier"), r.err());
    }

    @Test
    void shouldPassTheShippedRules() throws Exception {
        Path rules = Path.of(System.getProperty("spawnwatch.build.dir", "../build")).getParent().resolve("rules");
        try (var files = Files.list(rules)) {
            String[] args = files.map(Path::toString).sorted().toArray(String[]::new);
            String[] all = new String[args.length + 2];
            all[0] = "rules";
            all[1] = "check";
            System.arraycopy(args, 0, all, 2, args.length);
            CliRun r = CliRun.run(all);
            assertEquals(0, r.code(), r.err());
            assertEquals(args.length + " file(s) ok\n", r.out());
        }
    }

    @Test
    void shouldReportEveryRefusedRuleOfEveryFileAndCountPastFifty() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            many.append(i == 0 ? "" : "---\n").append("""
                    title: Bad %d
                    id: 6d1c2b1e-0000-4000-8000-%012d
                    logsource: {category: process_creation, product: linux}
                    detection:
                      sel: {Image|endswith: /sh}
                      condition: sel
                    level: weird
                    """.formatted(i, i));
        }
        Path rules = Files.writeString(dir.resolve("many.yml"), many);
        Path other = Files.writeString(dir.resolve("other.yml"), "title: [\n");
        CliRun r = CliRun.run("rules", "check", other.toString(), rules.toString());
        assertEquals(1, r.code());
        List<String> lines = r.err().lines().toList();
        assertEquals(51, lines.size(), r.err());
        assertEquals(other + ":2: YAML syntax: expected the node content, but found '<stream end>'", lines.get(0));
        assertEquals(rules + ":7: level must be informational, low, medium, high or critical, not 'weird'",
                lines.get(1));
        assertEquals("11 more problems not shown (61 in all)", lines.get(50));
    }
}
