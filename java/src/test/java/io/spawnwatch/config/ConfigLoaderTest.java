package io.spawnwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.error.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("spawnwatch.yml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void shouldEmbedTheDefaultsTheIssueAsksFor() throws Exception {
        SensorConfig c = ConfigLoader.defaults();
        // catalina.sh is a #! script: a name carried by a script never makes a root; the java it
        // starts is one by listening (runtimes).
        assertTrue(c.webServers().names().containsAll(List.of("nginx", "apache2", "php-fpm*", "gunicorn*", "lsphp*",
                "waitress-serve")));
        assertTrue(c.webServers().runtimes().containsAll(List.of("java", "node", "nodejs", "python*", "ruby*",
                "perl*", "php*", "dotnet", "bun", "deno", "beam.smp")));
        assertTrue(c.webServers().never().containsAll(List.of("sshd", "systemd", "containerd", "postgres",
                "mysqld", "redis-server", "memcached")));
        assertEquals(List.of(33L, 48L, 498L), c.webServers().uids());
        assertEquals(8 * 1024 * 1024, c.kernel().ringBufferBytes());
        assertEquals("/run/spawnwatch/spawnwatch.sock", c.control().socket());
    }

    @Test
    void shouldOverrideOnlyTheKeysTheFileNames() throws Exception {
        SensorConfig c = ConfigLoader.load(write("kernel:\n  ring_buffer_bytes: 65536\n"));
        assertEquals(65536, c.kernel().ringBufferBytes());
        assertEquals(65536, c.kernel().lineageEntries());
        assertTrue(c.webServers().names().contains("nginx"));
    }

    @Test
    void shouldTreatAnEmptyFileAsAllDefaults() throws Exception {
        assertEquals(ConfigLoader.defaults(), ConfigLoader.load(write("")));
    }

    @Test
    void shouldNameTheUnknownKey() throws Exception {
        Path file = write("kernel:\n  ring_bufer_bytes: 65536\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals("config " + file + ": unknown key kernel.ring_bufer_bytes (line 2): known keys here are [ring_buffer_bytes, lineage_entries]",
                e.getMessage());
    }

    @Test
    void shouldNameTheKeyAndExpectationForABadRingSize() throws Exception {
        Path file = write("kernel:\n  ring_buffer_bytes: 5000\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals("config " + file + ": kernel.ring_buffer_bytes: expected a power of two from 4096 to "
                + "1073741824, got 5000", e.getMessage());
    }

    @Test
    void shouldNameTheListIndexOfATooLongWebServerName() throws Exception {
        Path file = write("webservers:\n  names: [nginx, averyveryverylongname]\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals("config " + file + ": webservers.names[1]: 'averyveryverylongname' is longer than 15 bytes,"
                + " the kernel's comm limit: give the first 15 bytes followed by *", e.getMessage());
    }

    @Test
    void shouldNameTheKeyOfAValueOfTheWrongType() throws Exception {
        Path file = write("kernel:\n  lineage_entries: lots\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertTrue(e.getMessage().startsWith("config " + file + ": key kernel.lineage_entries"), e.getMessage());
        assertTrue(e.getMessage().contains("(line 2): expected an integer, got 'lots'"), e.getMessage());
    }

    @Test
    void shouldSayWhenTheFileIsMissing() {
        Path file = dir.resolve("absent.yml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals("config " + file + ": no such file", e.getMessage());
    }

    @Test
    void shouldRefuseMalformedYamlWithItsLine() throws Exception {
        Path file = write("kernel:\n  ring_buffer_bytes: [1,\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertTrue(e.getMessage().startsWith("config " + file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(": line 3: YAML syntax: "), e.getMessage());
    }

    @Test
    void shouldWatchWhoMayUseCronAsPersistenceByDefault() throws Exception {
        // SigmaHQ's "Suspicious Cron File Created" looks for /etc/cron.allow and /etc/cron.deny: written by the
        // web lineage they open cron to the web user, as sudoers and doas.conf open root.
        List<String> persistence = ConfigLoader.defaults().files().persistencePaths();
        assertTrue(persistence.containsAll(List.of("/etc/cron.allow", "/etc/cron.deny", "/etc/crontab",
                "/etc/sudoers", "/etc/doas.conf")), persistence.toString());
    }
}
