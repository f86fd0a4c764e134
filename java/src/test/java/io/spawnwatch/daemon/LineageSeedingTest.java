package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.execOf;
import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A web server and its child that were running before the sensor started:
 * the kernel never saw their fork, so only seeding the lineage from /proc
 * lets the child's later commands be followed.
 */
@Tag("kernel")
class LineageSeedingTest {

    @Test
    void shouldFollowChildrenOfAWebServerThatStartedBeforeTheSensor() throws Exception {
        String marker = "seed" + UUID.randomUUID().toString().substring(0, 8);
        try (FakeWebServer nginx = new FakeWebServer("nginx")) {
            java.nio.file.Path go = nginx.dir.resolve("go");
            // '; true' keeps each level a fork, not an exec in place: the test needs a live parent chain at seeding time.
            // nginx -> bash (forked now) -> waits for the sensor -> sh -c marker
            Process p = new ProcessBuilder(nginx.server.toString(), "-c",
                    "bash -c 'while [ ! -e " + go + " ]; do sleep 0.05; done; sh -c \"echo " + marker
                            + " >/dev/null; true\"; true'; true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(300); // let bash fork its child before the sensor exists
            try (SensorHarness harness = SensorHarness.start()) {
                Files.createFile(go);
                JsonNode sh = harness.await(execOf("sh", marker), Duration.ofSeconds(10), "sh of a seeded bash");
                assertEquals("bash", text(sh, "process.parent.name"));
                assertEquals("2", text(sh, "spawnwatch.lineage.depth"));
                assertEquals(Long.toString(p.pid()), text(sh, "spawnwatch.lineage.root.pid"));
                assertEquals("nginx > bash > sh", text(sh, "spawnwatch.lineage.chain"));
            } finally {
                p.waitFor(10, TimeUnit.SECONDS);
                Files.deleteIfExists(go);
            }
        }
    }
}
