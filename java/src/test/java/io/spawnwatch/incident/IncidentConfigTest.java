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
        assertEquals(java.util.List.of(file + ":2: incidents.max_incidents: expected 1 to 1000000, got 0",
                file + ":3: incidents.path: expected an absolute path, got relative.db",
                file + ":4: incidents.recent_bytes: expected 0 to 4294967296, got -1"), e.problems());
        Path typo = Files.writeString(tmp.resolve("t.yml"), "incidents:\n  quiet_gap: soon\n");
        ConfigException t = assertThrows(ConfigException.class, () -> ConfigLoader.load(typo));
        assertEquals(typo + ":2: incidents.quiet_gap: expected a duration such as 10m or 1h30m, got 'soon'",
                t.getMessage());
    }
}
