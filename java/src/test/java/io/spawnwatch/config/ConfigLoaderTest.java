package io.spawnwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void shouldCopyEverySectionAndChangeOnlyTheOneAsked() throws Exception {
        SensorConfig c = ConfigLoader.defaults();
        assertEquals(c, c.with(b -> { }), "a section the builder does not copy would be null here");
        SensorConfig.Kernel small = new SensorConfig.Kernel(65536, 128);
        SensorConfig changed = c.with(b -> b.kernel = small);
        assertEquals(small, changed.kernel());
        assertEquals(new SensorConfig(c.webServers(), small, c.enrichment(), c.control(), c.rules(), c.detection(),
                c.output(), c.outputs(), c.files(), c.incidents()), changed);
        assertEquals(c.with(b -> b.incidents = c.incidents().withPath(null)),
                c.withIncidents(c.incidents().withPath(null)));
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
