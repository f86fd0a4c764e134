package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.execOf;
import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An interpreter is a web server only when its command line says so: a
 * "java" running Tomcat's bootstrap class is followed, its children caught;
 * the same "java" running something else is not.
 */
@Tag("kernel")
class InterpreterServerTest extends SharedSensorTest {

    @Test
    void shouldFollowJavaRunningTomcatAsAWebServer() throws Exception {
        String marker = "t" + UUID.randomUUID().toString().substring(0, 8);
        try (FakeWebServer java = new FakeWebServer("java")) {
            // $0 of the script carries Tomcat's main class into the command line;
            // the sleep gives the sensor the moment it needs to make java a root.
            java.run("sleep 0.5; sh -c 'echo " + marker + " >/dev/null; true'; true",
                    "org.apache.catalina.startup.Bootstrap", "start");
            JsonNode sh = harness.await(execOf("sh", marker), WAIT, "sh under the Tomcat java");
            assertEquals("java", text(sh, "process.parent.name"));
            assertEquals("java", text(sh, "spawnwatch.lineage.root.name"));
            assertEquals(text(sh, "process.parent.pid"), text(sh, "spawnwatch.lineage.root.pid"));
            assertEquals("1", text(sh, "spawnwatch.lineage.depth"));
            JsonNode start = harness.await(d -> "java".equals(text(d, "process.name"))
                    && text(sh, "process.parent.pid").equals(text(d, "process.pid")), WAIT, "the java start");
            assertEquals("[\"web_server_command_line\"]", start.path("spawnwatch").path("match").toString());
        }
    }

    @Test
    void shouldIgnoreJavaThatIsNotAServer() throws Exception {
        String marker = "u" + UUID.randomUUID().toString().substring(0, 8);
        try (FakeWebServer java = new FakeWebServer("java"); FakeWebServer nginx = new FakeWebServer("nginx")) {
            java.run("sleep 0.5; sh -c 'echo " + marker + " >/dev/null; true'; true");
            String sentinel = "v" + UUID.randomUUID().toString().substring(0, 8);
            nginx.run("sh -c 'echo " + sentinel + " >/dev/null; true'; true");
            harness.await(execOf("sh", sentinel), WAIT, "sentinel");
            for (JsonNode d : harness.seen()) {
                assertFalse(String.valueOf(text(d, "process.command_line")).contains(marker), d.toString());
            }
        }
    }
}
