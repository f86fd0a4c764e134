package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The high-severity webshell rule needs a web server in the ancestry: a
 * www-data shell that no web server started (an administrator's setpriv, a
 * cron job) runs discovery tools without a high alert, while the same tool
 * under a web server raises one. The real sensor, the real kernel.
 */
@Tag("kernel")
class WebServerAncestryTest extends SharedSensorTest {
    private static final String WEBSHELL_RULE = "c903906e-993c-4f94-895a-ad73f7c2c7ee";

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish: " + String.join(" ", command));
        }
    }

    @Test
    void shouldRaiseNoHighAlertForAWebUserShellWithoutAWebServer() throws Exception {
        String marker = "a" + UUID.randomUUID().toString().substring(0, 8);
        run("setpriv", "--reuid=33", "--regid=33", "--clear-groups", "sh", "-c",
                "cat /etc/hostname; whoami; echo " + marker);
        // A later document of the same run: everything about the commands above has been written by then.
        run("setpriv", "--reuid=33", "--regid=33", "--clear-groups", "sh", "-c", "id -u; echo " + marker + "-done");
        JsonNode shell = harness.await(d -> "exec".equals(text(d, "event.action"))
                && ("sh -c cat /etc/hostname; whoami; echo " + marker).equals(text(d, "process.command_line")),
                SharedSensorTest.WAIT, "the www-data shell");
        JsonNode cat = harness.await(d -> "cat".equals(text(d, "process.name"))
                && text(shell, "process.pid").equals(text(d, "process.parent.pid")), SharedSensorTest.WAIT,
                "cat from that shell");
        assertEquals("33", text(cat, "user.id"));
        harness.await(d -> "exec".equals(text(d, "event.action"))
                && String.valueOf(text(d, "process.command_line")).contains(marker + "-done"), SharedSensorTest.WAIT,
                "the second shell");
        List<JsonNode> high = harness.seen().stream()
                .filter(d -> "alert".equals(text(d, "event.kind")) && WEBSHELL_RULE.equals(text(d, "rule.id"))
                        && text(cat, "process.parent.pid").equals(text(d, "process.parent.pid")))
                .toList();
        assertEquals(List.of(), high);
    }

    @Test
    void shouldRaiseTheHighAlertForTheSameToolUnderAWebServer() throws Exception {
        try (RealWebServers web = new RealWebServers()) {
            web.shell("cat /etc/hostname");
            JsonNode alert = harness.await(d -> "alert".equals(text(d, "event.kind"))
                    && WEBSHELL_RULE.equals(text(d, "rule.id")) && "cat".equals(text(d, "process.name")),
                    Duration.ofSeconds(15), "the webshell alert for cat under php-fpm");
            assertEquals("Suspicious Web Server Child Process", text(alert, "rule.name"));
            assertEquals("/usr/sbin/php-fpm8.2", text(alert, "spawnwatch.lineage.root.executable"));
        }
    }
}
