package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.execOf;
import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
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
        Path classes = Files.createTempDirectory(Path.of("/tmp"), "sw-tomcat-");
        try {
            // A real JVM whose main class is Tomcat's bootstrap class: its own
            // arguments (options and main class) name the server; the marker is
            // an argument of the program, never matched.
            Path source = classes.resolve("org/apache/catalina/startup/Bootstrap.java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, "package org.apache.catalina.startup;\n"
                    + "public class Bootstrap { public static void main(String[] a) throws Exception {\n"
                    + "  while (!new java.io.File(a[1]).exists()) Thread.sleep(20);\n"
                    + "  new ProcessBuilder(\"sh\", \"-c\", a[0]).inheritIO().start().waitFor(); } }\n");
            assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, source.toString()));
            String javaBin = ProcessHandle.current().info().command().orElseThrow();
            Process java = new ProcessBuilder(javaBin, "-cp", classes.toString(),
                    // The command is all builtins ('; true' too): sh's own exec is the event the test waits for.
                    "org.apache.catalina.startup.Bootstrap", "echo " + marker + " >/dev/null; true",
                    classes.resolve("go").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // It forks only once the sensor has judged it (a real Tomcat takes seconds to start).
            LineageVisibilityTest.awaitRoot(java.pid());
            Files.createFile(classes.resolve("go"));
            JsonNode sh = harness.await(execOf("sh", marker), WAIT, "sh under the Tomcat java");
            java.waitFor(20, TimeUnit.SECONDS);
            assertEquals("java", text(sh, "process.parent.name"));
            assertEquals("java", text(sh, "spawnwatch.lineage.root.name"));
            assertEquals(Long.toString(java.pid()), text(sh, "spawnwatch.lineage.root.pid"));
            assertEquals("1", text(sh, "spawnwatch.lineage.depth"));
            JsonNode start = harness.await(d -> "java".equals(text(d, "process.name"))
                    && Long.toString(java.pid()).equals(text(d, "process.pid")), WAIT, "the java start");
            assertEquals("[\"web_server_command_line\"]", start.path("spawnwatch").path("match").toString());
        } finally {
            try (var walk = Files.walk(classes)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void shouldIgnoreJavaThatIsNotAServer() throws Exception {
        String marker = "u" + UUID.randomUUID().toString().substring(0, 8);
        try (FakeWebServer java = new FakeWebServer("java"); FakeWebServer nginx = new FakeWebServer("nginx")) {
            // '; true': the shell must run as a child of the recognised java root, not replace it.
            java.run("sleep 0.5; sh -c 'echo " + marker + " >/dev/null; true'; true");
            String sentinel = "v" + UUID.randomUUID().toString().substring(0, 8);
            nginx.run("sh -c 'echo " + sentinel + " >/dev/null'");
            harness.await(execOf("sh", sentinel), WAIT, "sentinel");
            for (JsonNode d : harness.seen()) {
                assertFalse(String.valueOf(text(d, "process.command_line")).contains(marker), d.toString());
            }
        }
    }
}
