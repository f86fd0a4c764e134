package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Debian's nginx and php-fpm on loopback, with a PHP web shell, under the real sensor. */
@Tag("kernel")
class RealWebServerTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void shouldFollowAWebShellFromPhpFpmDownToItsCommands() throws Exception {
        try (SensorHarness harness = SensorHarness.start(); RealWebServers web = new RealWebServers()) {
            assertEquals("<h1>static</h1>\n", web.get("/index.html"));
            assertEquals("hello 3\n", web.get("/hello.php"));
            String marker = "w" + UUID.randomUUID().toString().substring(0, 8);

            String out = web.shell("id; echo " + marker);
            assertTrue(out.contains("uid=33(www-data)"), out);
            JsonNode sh = harness.await(d -> "sh".equals(text(d, "process.name"))
                    && String.valueOf(text(d, "process.command_line")).contains(marker), WAIT, "sh from PHP");
            assertEquals("php-fpm8.2", text(sh, "process.parent.name"));
            assertEquals("/usr/sbin/php-fpm8.2", text(sh, "process.parent.executable"));
            assertEquals("www-data", text(sh, "user.name"));
            assertEquals("33", text(sh, "user.id"));
            assertEquals("sh -c id; echo " + marker, text(sh, "process.command_line"));
            assertEquals(Long.toString(web.fpmPid()), text(sh, "spawnwatch.lineage.root.pid"));
            assertEquals("php-fpm8.2", text(sh, "spawnwatch.lineage.root.name"));
            assertEquals("2", text(sh, "spawnwatch.lineage.depth"));
            assertEquals("php-fpm8.2 > php-fpm8.2 > sh", text(sh, "spawnwatch.lineage.chain"));
            // php-fpm forks its workers without an exec, so the sensor first learns a worker's command line
            // ("php-fpm: pool www", set by php-fpm) from /proc, off the reader thread: the first shell of each
            // worker says so, the next ones carry it. Two workers: by the third shell one has been seen.
            int known = 0;
            for (int i = 0; i < 3; i++) {
                String m = marker + "n" + i;
                web.shell("echo " + m);
                JsonNode d = harness.await(e -> "sh".equals(text(e, "process.name"))
                        && String.valueOf(text(e, "process.command_line")).contains(m), WAIT, "sh " + i);
                String parentLine = text(d, "process.parent.command_line");
                if (parentLine == null) {
                    assertEquals("pending", text(d, "spawnwatch.enrichment"), d.toString());
                } else {
                    assertTrue(parentLine.startsWith("php-fpm: pool www"), parentLine);
                    known++;
                }
            }
            assertTrue(known >= 1, "a worker seen before is known from then on");

            JsonNode id = harness.await(d -> "id".equals(text(d, "process.name"))
                    && text(sh, "process.pid").equals(text(d, "process.parent.pid")), WAIT, "id from the shell");
            assertEquals("/usr/bin/id", text(id, "process.executable"));
            assertEquals("3", text(id, "spawnwatch.lineage.depth"));
            assertEquals("php-fpm8.2 > php-fpm8.2 > sh > id", text(id, "spawnwatch.lineage.chain"));

            // Serving files and plain PHP spawns nothing.
            for (JsonNode d : harness.seen()) {
                assertFalse("exec".equals(text(d, "event.action"))
                        && "nginx".equals(text(d, "process.parent.name")), "nginx spawned something: " + d);
            }
        }
    }
}
