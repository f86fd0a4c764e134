package io.spawnwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.error.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The careless operator's inputs, one table: each file gets every one of its problems, one line each,
 * "FILE:LINE: KEY: what was expected" (FILE:LINE:COLUMN for YAML syntax), in the words a user writes,
 * never a Java type name.
 */
class ConfigHardeningTest {
    @TempDir
    Path dir;

    /** {@code yaml} as spawnwatch.yml, and the problems with FILE standing for its path. */
    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("kernel: {ring_buffer_bytes: 2147483648}\n", List.of(
                        "FILE:1: kernel.ring_buffer_bytes: 2147483648 is out of range: expected a whole number from"
                                + " -2147483648 to 2147483647")),
                Arguments.of("# comment\ndetection:\n  baseline_max_entries: 9999999999\n", List.of(
                        "FILE:3: detection.baseline_max_entries: 9999999999 is out of range: expected a whole number"
                                + " from -2147483648 to 2147483647")),
                Arguments.of("kernel:\n  ring_buffer_bytes: 8192.5\n", List.of(
                        "FILE:2: kernel.ring_buffer_bytes: expected a whole number, got '8192.5'")),
                Arguments.of("kernel:\n  lineage_entries: lots\n", List.of(
                        "FILE:2: kernel.lineage_entries: expected a whole number, got 'lots'")),
                Arguments.of("detection:\n  learning_period: 7x\n", List.of(
                        "FILE:2: detection.learning_period: expected a duration such as 10m or 1h30m, got '7x'")),
                Arguments.of("incidents:\n  quiet_gap: 0s\n", List.of(
                        "FILE:2: incidents.quiet_gap: expected a positive duration (e.g. 10m), got 0s")),
                Arguments.of("rules:\n  builtin: maybe\n", List.of(
                        "FILE:2: rules.builtin: expected true or false, got 'maybe'")),
                Arguments.of("webservers:\n  names: nginx\n", List.of(
                        "FILE:2: webservers.names: expected a list ([a, b], or one '- item' a line)")),
                Arguments.of("kernel: 5\n", List.of(
                        "FILE:1: kernel: expected a map (indented key: value lines), got 5")),
                Arguments.of("rules: {exceptions: &f /var/lib/x.db}\ndetection: {state_path: *f}\n", List.of(
                        "FILE:2:25: detection.state_path: YAML anchors and aliases (&name, *name) are not supported"
                                + " in a configuration; write the value itself")),
                Arguments.of("detection:\n  state_path: baselines.db\n", List.of(
                        "FILE:2: detection.state_path: expected an absolute path, got 'baselines.db'")),
                Arguments.of("kernel:\n  ring_buffer_bytes: 65536\nkernel:\n  lineage_entries: 128\n", List.of(
                        "FILE:3:1: duplicate key kernel (first at line 1); YAML keeps only one: merge them")),
                Arguments.of("kernel:\n  ring_buffer_bytes: 65536\n---\nkernel:\n  ring_buffer_bytes: 5\n", List.of(
                        "FILE:4: a second YAML document ('---'); a configuration is one document: merge it into the"
                                + " first or remove it")),
                Arguments.of("kernel:\n  ring_buffer_bytes: [1,\n", List.of(
                        "FILE:3:1: YAML syntax: expected the node content, but found '<stream end>'")),
                Arguments.of("kernel:\n  ring_buffer_bytes: 4096\n lineage_entries: 64\n", List.of(
                        "FILE:3:2: YAML syntax: expected <block end>, but found '<block mapping start>' (this line's"
                                + " indentation does not match the lines above it)")),
                Arguments.of("control:\n  socket: /run/a: b\n", List.of(
                        "FILE:2:17: YAML syntax: mapping values are not allowed here (a ': ' inside a value: quote"
                                + " the value, or check the indentation)")),
                Arguments.of("kernel:\n\tlineage_entries: 64\n", List.of(
                        "FILE:2:1: YAML syntax: found character '\\t(TAB)' that cannot start any token. (Do not use"
                                + " \\t(TAB) for indentation)")),
                Arguments.of("rules:\n  exceptions: /tmp\n", List.of(
                        "FILE:2: rules.exceptions: /tmp is a directory or another non-regular file; expected the"
                                + " path of a YAML file (spawnwatch exceptions add creates it)")),
                Arguments.of("rules:\n  exceptions: /etc/passwd/exceptions.yml\n", List.of(
                        "FILE:2: rules.exceptions: /etc/passwd is not a directory")),
                Arguments.of("detection:\n  state_path: /etc/hostname/sub/baselines.db\n", List.of(
                        "FILE:2: detection.state_path: /etc/hostname is not a directory")),
                Arguments.of("incidents:\n  path: /proc/1/incidents.db\n", List.of(
                        "FILE:2: incidents.path: directory /proc/1 is not writable (a read-only file system?)")),
                Arguments.of("rules:\n  paths: [/no/such/rules.d]\n", List.of(
                        "FILE:2: rules.paths[0]: /no/such/rules.d: no such file or directory; expected a rule file"
                                + " or a directory of them")),
                Arguments.of("kernel:\n  ring_buffer_bytes: 65536\n  lineage: 5\n", List.of(
                        "FILE:3: kernel.lineage: unknown key; known keys in kernel are ring_buffer_bytes,"
                                + " lineage_entries")),
                // Every problem of the file in one run, in file order, whatever stage finds each.
                Arguments.of("""
                        bogus: 1
                        kernel:
                          ring_buffer_bytes: lots
                          lineage_entries: 3
                        control:
                          allowed_uids: [abc, 5]
                          socket: relative.sock
                        incidents:
                          quiet_gap: banana
                          max_incidents: 0
                        webservers:
                          names: [nginx, averyveryverylongname]
                        """, List.of(
                        "FILE:1: bogus: unknown key; known keys at the top level are webservers, kernel, enrichment,"
                                + " control, output, outputs, rules, detection, files, incidents",
                        "FILE:3: kernel.ring_buffer_bytes: expected a whole number, got 'lots'",
                        "FILE:4: kernel.lineage_entries: expected 64 to 4194304, got 3",
                        "FILE:6: control.allowed_uids[0]: expected a whole number, got 'abc'",
                        "FILE:7: control.socket: expected an absolute path, got relative.sock",
                        "FILE:9: incidents.quiet_gap: expected a duration such as 10m or 1h30m, got 'banana'",
                        "FILE:10: incidents.max_incidents: expected 1 to 1000000, got 0",
                        "FILE:12: webservers.names[1]: 'averyveryverylongname' is longer than 15 bytes, the kernel's"
                                + " comm limit: give the first 15 bytes followed by *")));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void shouldNameEveryProblemWithFileLineKeyAndWhatToWrite(String yaml, List<String> expected) throws Exception {
        Path file = Files.writeString(dir.resolve("spawnwatch.yml"), yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(expected.stream().map(p -> p.replace("FILE", file.toString())).toList(), e.problems());
        for (String p : e.problems()) {
            assertTrue(!p.contains("\n") && !p.matches(".*\\b(java|com\\.fasterxml)\\.[a-z]+\\..*")
                    && !p.matches(".*\\b(Duration|Integer|Long|String|List)\\b.*"), p);
        }
    }

    /** Whole-file problems, before any YAML is read: one line with the file's name. */
    static Stream<Arguments> unreadable() {
        return Stream.of(
                Arguments.of("/dev/zero", null, "/dev/zero: not a regular file (a device, socket or pipe); expected"
                        + " a YAML file"),
                Arguments.of("DIR", null, "DIR: not a regular file (a directory); expected a YAML file"),
                Arguments.of("DIR/absent.yml", null, "DIR/absent.yml: cannot read the configuration: no such file or"
                        + " directory"),
                Arguments.of("DIR/big.yml", new byte[4 * 1024 * 1024 + 1], "DIR/big.yml: too large: 4194305 bytes,"
                        + " at most 4194304 accepted"),
                Arguments.of("DIR/latin1.yml", "kernel:\n  ring_buffer_bytes: 8192 # caf\u00e9\n".getBytes(
                        java.nio.charset.StandardCharsets.ISO_8859_1), "DIR/latin1.yml:2:32: not UTF-8 (byte 0xe9);"
                        + " save the file as UTF-8"));
    }

    @ParameterizedTest
    @MethodSource("unreadable")
    void shouldRefuseAFileThatIsNoTextWithOneLine(String name, byte[] content, String expected) throws Exception {
        Path file = Path.of(name.replace("DIR", dir.toString()));
        if (content != null) {
            Files.write(file, content);
        }
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(List.of(expected.replace("DIR", dir.toString())), e.problems());
    }

    @Test
    void shouldShowTheFirstFiftyProblemsAndCountTheRest() throws Exception {
        StringBuilder yaml = new StringBuilder("webservers:\n  names:\n");
        for (int i = 0; i < 70; i++) {
            yaml.append("    - a-name-longer-than-fifteen-").append(i).append('\n');
        }
        Path file = Files.writeString(dir.resolve("spawnwatch.yml"), yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(51, e.problems().size());
        assertTrue(e.problems().get(0).startsWith(file + ":3: webservers.names[0]: "), e.problems().get(0));
        assertTrue(e.problems().get(49).startsWith(file + ":52: webservers.names[49]: "), e.problems().get(49));
        assertEquals(file + ": 20 more problems not shown (70 in all)", e.problems().get(50));
        assertEquals(e.problems().get(0) + " (and 50 more)", e.getMessage());
    }

    @Test
    void shouldLoadTheDefaultsOverAnyKeyItHadToSkipOnlyToReportIt() throws Exception {
        // Twenty wrong types in one section: binding goes on past each, and stops nowhere short of them all.
        List<String> lines = new ArrayList<>(List.of("incidents:"));
        for (String key : List.of("quiet_gap", "before", "max_age")) {
            lines.add("  " + key + ": soon");
        }
        for (String key : List.of("max_bytes", "max_incidents", "max_documents_per_incident", "lineages",
                "recent_documents", "recent_bytes", "queue")) {
            lines.add("  " + key + ": many");
        }
        Path file = Files.writeString(dir.resolve("spawnwatch.yml"), String.join("\n", lines) + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(10, e.problems().size(), String.join("\n", e.problems()));
    }
}
