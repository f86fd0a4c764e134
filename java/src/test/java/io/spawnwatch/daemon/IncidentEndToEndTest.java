package io.spawnwatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spawnwatch.cli.CliRun;
import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.kernel.KernelTestSupport;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as shipped (incident store configured, control socket): a
 * shell under a web server becomes an incident that `spawnwatch incidents`
 * lists, `spawnwatch incident show` draws, and `spawnwatch stats` counts.
 */
@Tag("kernel")
class IncidentEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;


    @Test
    void shouldListShowAndCountAnIncidentOverTheControlSocket() throws Exception {
        KernelTestSupport.requireKernel();
        SensorConfig d = ConfigLoader.defaults();
        SensorConfig config = d.withDetection(d.detection().withStatePath(null))
                .withIncidents(d.incidents().withPath(dir.resolve("incidents/incidents.db").toString()));
        String mark = "e" + UUID.randomUUID().toString().substring(0, 8);
        try (Daemon daemon = Daemon.start(new Daemon.Options(config, null, List.of(), dir.resolve("sw.sock")));
                FakeWebServer web = new FakeWebServer("nginx")) {
            // '; true': the shell must be the web server's child so the incident's tree holds both.
            web.run("sh -c 'uname -a >/dev/null; echo " + mark + " >/dev/null; true'; true");

            String id = null;
            String shown = "";
            StringBuilder seen = new StringBuilder();
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (id == null && System.nanoTime() < deadline) {
                seen.setLength(0);
                CliRun list = CliRun.against(daemon.socket(), "incidents", "--json");
                assertEquals(0, list.code(), list.err());
                for (JsonNode i : JSON.readTree(list.out()).path("incidents")) {
                    // The text shortens long arguments; the documents hold them whole.
                    CliRun json = CliRun.against(daemon.socket(), "incident", "show", i.path("id").asText(), "--json");
                    CliRun show = CliRun.against(daemon.socket(), "incident", "show", i.path("id").asText());
                    seen.append(show.out()).append(show.err());
                    if (json.out().contains(mark) && show.out().contains("uname[")) {
                        id = i.path("id").asText();
                        shown = show.out();
                        assertEquals("nginx", i.path("root_name").asText(), i.toString());
                    }
                }
                if (id == null) {
                    Thread.sleep(200);
                }
            }
            assertTrue(id != null, "no incident with the shell " + mark + " and its uname; seen:\n" + seen
                    + "\nstats: " + CliRun.against(daemon.socket(), "stats", "--json").out());
            assertTrue(shown.startsWith("incident " + id + "  nginx["), shown);
            assertTrue(shown.contains("! high    Suspicious Web Server Child Process"), shown);

            JsonNode sink = JSON.readTree(CliRun.against(daemon.socket(), "stats", "--json").out()).path("sinks").path("incidents");
            assertTrue(sink.path("incidents").asLong() >= 1, sink.toString());
            assertTrue(sink.path("written").asLong() >= 2, sink.toString());
            assertEquals(0, sink.path("errors").asLong(), sink.toString());
        }
    }

}
