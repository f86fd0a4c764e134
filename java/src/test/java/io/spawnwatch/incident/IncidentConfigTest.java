package io.spawnwatch.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.error.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incidents: section: defaults, overrides, and one clear line per bad value. */
class IncidentConfigTest {
    @TempDir
    Path tmp;

    @Test
    void shouldHaveBoundedDefaults() throws Exception {
        IncidentConfig c = ConfigLoader.defaults().incidents();
        assertEquals(true, c.enabled());
        assertEquals("/var/lib/spawnwatch/incidents/incidents.db", c.path());
        assertEquals(Duration.ofMinutes(10), c.quietGap());
        assertEquals(Duration.ofSeconds(30), c.before());
        assertEquals(Duration.ofDays(30), c.maxAge());
        assertEquals(268_435_456L, c.maxBytes());
        assertEquals(10_000, c.maxIncidents());
        assertEquals(5000, c.maxDocumentsPerIncident());
    }

    @Test
    void shouldTakeOverridesKeyByKey() throws Exception {
        Path file = Files.writeString(tmp.resolve("c.yml"), "incidents:\n  quiet_gap: 2m\n  max_incidents: 20\n");
        IncidentConfig c = ConfigLoader.load(file).incidents();
        assertEquals(Duration.ofMinutes(2), c.quietGap());
        assertEquals(20, c.maxIncidents());
        assertEquals(Duration.ofSeconds(30), c.before());
    }

    @Test
    void shouldNameEveryBadKeyAndWhatWasExpected() throws Exception {
        Path file = Files.writeString(tmp.resolve("c.yml"),
                "incidents:\n  max_incidents: 0\n  path: relative.db\n  recent_bytes: -1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals("config " + file + ": incidents.max_incidents: expected 1 to 1000000, got 0; "
                + "incidents.recent_bytes: expected 0 to 4294967296, got -1; "
                + "incidents.path: expected an absolute path, got relative.db", e.getMessage());
        Path typo = Files.writeString(tmp.resolve("t.yml"), "incidents:\n  quiet_gap: soon\n");
        ConfigException t = assertThrows(ConfigException.class, () -> ConfigLoader.load(typo));
        assertEquals("config " + typo + ": key incidents.quiet_gap: expected Duration, got 'soon'", t.getMessage());
    }
}
