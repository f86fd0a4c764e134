package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Debian's apache2 running a CGI shell script: its commands are followed down from apache2. */
@Tag("kernel")
class RealApacheTest {

    @Test
    void shouldFollowACgiScriptOfApacheDownToItsCommands() throws Exception {
        // '; true': dash would exec the last command in place; the test asserts each command as a child of the CGI shell.
        try (SensorHarness harness = SensorHarness.start(); RealApache apache = new RealApache("shell.cgi",
                "id; uname -a; true")) {
            String out = apache.get("/cgi-bin/shell.cgi");
            assertTrue(out.contains("uid=33(www-data)"), out);
            String root = Long.toString(apache.pid());

            JsonNode cgi = harness.await(d -> "shell.cgi".equals(text(d, "process.name"))
                    && root.equals(text(d, "spawnwatch.lineage.root.pid")), Duration.ofSeconds(15), "the CGI");
            assertEquals("/usr/bin/dash", text(cgi, "process.executable"));
            assertEquals("apache2", text(cgi, "process.parent.name"));
            assertEquals("/usr/sbin/apache2", text(cgi, "process.parent.executable"));
            assertEquals("www-data", text(cgi, "user.name"));
            assertEquals("apache2", text(cgi, "spawnwatch.lineage.root.name"));

            JsonNode uname = harness.await(d -> "uname".equals(text(d, "process.name"))
                    && text(cgi, "process.pid").equals(text(d, "process.parent.pid")), Duration.ofSeconds(15),
                    "uname from the CGI");
            assertEquals("apache2 > apache2 > shell.cgi > uname", text(uname, "spawnwatch.lineage.chain"));
            JsonNode alert = harness.await(d -> "alert".equals(text(d, "event.kind"))
                    && "uname".equals(text(d, "process.name")) && root.equals(text(d, "spawnwatch.lineage.root.pid")),
                    Duration.ofSeconds(15), "an alert for uname under apache2");
            assertEquals(WebShellAlertsTest.SUSPICIOUS_CHILD_PROCESS, text(alert, "rule.id"));
        }
    }
}
