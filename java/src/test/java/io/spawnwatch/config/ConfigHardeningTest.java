package io.spawnwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spawnwatch.error.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The careless-operator inputs: each gets one line naming file, key or line, and what was expected. */
class ConfigHardeningTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("spawnwatch.yml"), yaml);
    }

    private String error(Path file) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(file)).getMessage();
    }

    @Test
    void shouldNameKeyAndLineOfANumberTooLargeForItsField() throws Exception {
        Path file = write("kernel: {ring_buffer_bytes: 2147483648}\n");
        assertEquals("config " + file + ": key kernel.ring_buffer_bytes (line 1): 2147483648 is out of range:"
                + " expected an integer from -2147483648 to 2147483647", error(file));
        Path other = write("# comment\ndetection:\n  baseline_max_entries: 9999999999\n");
        assertEquals("config " + other + ": key detection.baseline_max_entries (line 3): 9999999999 is out of"
                + " range: expected an integer from -2147483648 to 2147483647", error(other));
    }

    @Test
    void shouldRefuseAFractionWhereAnIntegerIsExpected() throws Exception {
        Path file = write("kernel:\n  ring_buffer_bytes: 8192.5\n");
        assertEquals("config " + file + ": key kernel.ring_buffer_bytes (line 2): expected an integer, got '8192.5'",
                error(file));
    }

    @Test
    void shouldRefuseAnchorsAndAliasesInsteadOfReadingTheAnchorsName() throws Exception {
        Path file = write("rules: {exceptions: &f /var/lib/x.db}\ndetection: {state_path: *f}\n");
        assertEquals("config " + file + ": line 2: detection.state_path: YAML anchors and aliases (&name, *name) are"
                + " not supported in a configuration; write the value itself", error(file));
    }

    @Test
    void shouldRefuseARelativeStatePath() throws Exception {
        Path file = write("detection:\n  state_path: baselines.db\n");
        assertEquals("config " + file + ": key detection (line 1): state_path: expected an absolute path, got"
                + " 'baselines.db'", error(file));
    }

    @Test
    void shouldRefuseWhatIsNotARegularFileBeforeReadingIt() {
        assertEquals("config /dev/zero: not a regular file (a device, socket or pipe); expected a YAML file",
                error(Path.of("/dev/zero")));
        assertEquals("config " + dir + ": not a regular file (a directory); expected a YAML file", error(dir));
    }

    @Test
    void shouldRefuseAFileLargerThanFourMebibytes() throws Exception {
        Path big = dir.resolve("big.yml");
        Files.write(big, new byte[4 * 1024 * 1024 + 1]);
        assertEquals("config " + big + ": too large: 4194305 bytes, at most 4194304 accepted", error(big));
    }

    @Test
    void shouldNameTheLineAndColumnOfABytesThatIsNotUtf8() throws Exception {
        Path file = dir.resolve("latin1.yml");
        Files.write(file, "kernel:\n  ring_buffer_bytes: 8192 # caf\u00e9\n".getBytes("ISO-8859-1"));
        assertEquals("config " + file + ": line 2, column 32: not UTF-8 (byte 0xe9); save the file as UTF-8",
                error(file));
    }

    @Test
    void shouldRefuseTheSameSectionTwiceNamingBothLines() throws Exception {
        Path file = write("kernel:\n  ring_buffer_bytes: 65536\nkernel:\n  lineage_entries: 128\n");
        assertEquals("config " + file + ": line 3: duplicate key kernel (first at line 1); YAML keeps only one:"
                + " merge them", error(file));
    }

    @Test
    void shouldRefuseASecondDocument() throws Exception {
        Path file = write("kernel:\n  ring_buffer_bytes: 65536\n---\nkernel:\n  ring_buffer_bytes: 5\n");
        assertEquals("config " + file + ": line 4: a second YAML document ('---'); a configuration is one document:"
                + " merge it into the first or remove it", error(file));
    }

    @Test
    void shouldRefuseAnExceptionsPathThatIsADirectory() throws Exception {
        Path file = write("rules:\n  exceptions: /tmp\n");
        assertEquals("config " + file + ": rules.exceptions: /tmp is a directory or another non-regular file;"
                + " expected the path of a YAML file (spawnwatch exceptions add creates it)", error(file));
    }

    @Test
    void shouldNameTheLineOfAnUnknownKey() throws Exception {
        Path file = write("kernel:\n  ring_buffer_bytes: 65536\n  lineage: 5\n");
        assertEquals("config " + file + ": unknown key kernel.lineage (line 3): known keys here are"
                + " [ring_buffer_bytes, lineage_entries]", error(file));
    }
}
