package io.spawnwatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.kernel.KernelTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer meets when {@code spawnwatch run} cannot start, as a real process: one line per problem
 * on stderr, the exit code the README lists, no Java exception class name, and nothing costly done first.
 */
class StartUpEndToEndTest {
    @TempDir
    Path dir;

    /** The sensor's own files under the test's directory: a failed start must not touch /var/lib. */
    private String privateState() {
        return """
                detection:
                  state_path: %s
                incidents:
                  path: %s
                """.formatted(dir.resolve("var/baselines.db"), dir.resolve("var/incidents.db"));
    }

    @Test
    @Tag("kernel")
    void shouldRefuseASecondSensorOnTheSameSocketBeforeLoadingAnyBpf() throws Exception {
        KernelTestSupport.requireKernel();
        try (DaemonProcess first = DaemonProcess.start(dir.resolve("first"), privateState(), "022")) {
            first.awaitLog("ready:", Duration.ofSeconds(60));
            Path socket = first.socket;
            Path secondOutput = dir.resolve("second-out.ndjson");
            try (DaemonProcess second = DaemonProcess.start(dir.resolve("second"), privateState(), "022", socket,
                    List.of("--socket", socket.toString(), "--output", secondOutput.toString()))) {
                assertEquals(1, second.awaitExit(Duration.ofSeconds(30)), second.logText());
                // The whole of its stderr: no "rules loaded", no hook or BPF line, no second "control:".
                assertEquals("spawnwatch: control: another process is listening on socket=" + socket + "; stop it"
                        + " (spawnwatch shutdown) or choose another --socket\n", second.logText());
            }
            assertFalse(Files.exists(secondOutput), "the refused sensor removed the empty output file it created");
            assertEquals(0, first.cli("status").code(), "the first sensor goes on serving its socket");
            assertTrue(Files.exists(socket), "the second sensor left the first one's socket alone");
        }
    }

    @Test
    void shouldRefuseAnOutputInADirectoryThatDoesNotExistWithOneLine() throws Exception {
        Path output = dir.resolve("no/such/dir/alerts.ndjson");
        Path socket = dir.resolve("run/sw.sock");
        try (DaemonProcess run = DaemonProcess.start(dir.resolve("d"), privateState(), "022", socket,
                List.of("--socket", socket.toString(), "--output", output.toString()))) {
            assertEquals(2, run.awaitExit(Duration.ofSeconds(30)), run.logText());
            assertEquals("spawnwatch: output " + output + ": cannot open for appending: directory "
                    + output.getParent() + " does not exist\n", run.logText());
        }
        assertFalse(Files.exists(socket), "refused before the socket was claimed");
    }

    @Test
    void shouldListEveryConfigurationProblemBeforeStarting() throws Exception {
        Path socket = dir.resolve("run/sw.sock");
        try (DaemonProcess run = DaemonProcess.start(dir.resolve("d"), privateState() + """
                rules:
                  paths: [/no/such/rules.d]
                kernel:
                  ring_buffer_bytes: lots
                """, "022", socket, List.of("--socket", socket.toString()))) {
            Path config = dir.resolve("d/config.yml");
            assertEquals(2, run.awaitExit(Duration.ofSeconds(30)), run.logText());
            assertEquals("spawnwatch: " + config + ":6: rules.paths[0]: /no/such/rules.d: no such file or directory;"
                    + " expected a rule file or a directory of them\n"
                    + "spawnwatch: " + config + ":8: kernel.ring_buffer_bytes: expected a whole number, got 'lots'\n",
                    run.logText());
        }
    }
}
