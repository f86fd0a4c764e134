package io.spawnwatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.ecs.AgentIdentity;
import io.spawnwatch.error.SpawnwatchException;
import io.spawnwatch.kernel.KernelTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails late (the BPF programs loaded, the rules compiled, the
 * enrichment thread running) says why in one line naming the file, and leaves
 * nothing behind: no enrichment thread, no programs attached.
 */
@Tag("kernel")
class SensorStartFailureTest {
    @TempDir
    Path dir;

    @Test
    void shouldNameTheBadAgentIdFileAndStopEveryThreadItStarted() throws Exception {
        KernelTestSupport.requireKernel();
        Path agentId = Files.writeString(dir.resolve(AgentIdentity.FILE), "not-a-uuid\n");
        SensorConfig d = ConfigLoader.defaults();
        SensorConfig config = d.withDetection(d.detection().withStatePath(dir.resolve("baselines.db").toString()));

        SpawnwatchException e = assertThrows(SpawnwatchException.class, () -> Sensor.start(new Sensor.Options(
                config, null, List.of(), Path.of("/proc"), Path.of("/etc/passwd"), null)));
        assertTrue(e.getMessage().contains(agentId + ": expected one UUID"), e.getMessage());

        // The enrichment thread is a daemon thread, so a leak would not stop the JVM: look for it by name.
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(n -> n.startsWith("spawnwatch-enrichment")).toList();
        } while (!left.isEmpty() && System.nanoTime() < deadline && sleep());
        assertEquals(List.of(), left, "threads the failed start left running");
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }
}
