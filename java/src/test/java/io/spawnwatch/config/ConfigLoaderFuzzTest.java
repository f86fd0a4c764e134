package io.spawnwatch.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spawnwatch.error.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes as a configuration file: the loader returns a configuration that
 * passes its own validation, or ConfigException problems of one line each
 * that start with "FILE:"; nothing else escapes.
 */
class ConfigLoaderFuzzTest {
    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("spawnwatch-fuzz-", ".yml");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "20s")
    @DictionaryEntries({"webservers:", "names: [", "uids: [", "kernel:", "ring_buffer_bytes: ", "lineage_entries: ",
        "enrichment:", "process_table_entries: ", "control:", "socket: /run/x.sock", "allowed_uids:", "socket_group: ",
        "rules:", "builtin: ", "paths: []", "exceptions: ", "detection:", "state_path: /var/lib/x.db",
        "baseline_max_entries: ", "suppression:", "window: 10m", "alert_bounds:", "per_rule: ", "disabled_rules:",
        "2147483648", "8192.5", "0x10", "~", "&a ", "*a", "<<: ", "---", "\"", "'", "\t"})
    void shouldLoadOrRefuseWithOneLine(FuzzedDataProvider data) throws IOException {
        Files.write(FILE, data.consumeRemainingAsBytes());
        try {
            SensorConfig c = ConfigLoader.load(FILE);
            assertTrue(ConfigLoader.validate(c).isEmpty());
        } catch (ConfigException e) {
            for (String problem : e.problems()) {
                assertTrue(problem.startsWith(FILE + ":"), problem);
                assertFalse(problem.contains("\n"), "a multi-line error: " + problem);
            }
        }
    }
}
