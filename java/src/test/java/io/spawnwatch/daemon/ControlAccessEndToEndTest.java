package io.spawnwatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.kernel.KernelTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * A real daemon whose socket is group-accessible, and a real client process
 * running as nobody: the file modes let it connect, SO_PEERCRED refuses it.
 */
@Tag("kernel")
class ControlAccessEndToEndTest {
    private static final long NOGROUP = 65534;

    @Test
    void shouldRefuseAnUnprivilegedPeerWithAClearError() throws Exception {
        KernelTestSupport.requireKernel();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "sw-acc-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path socket = dir.resolve("run/sw.sock");
        SensorConfig d = ConfigLoader.defaults();
        SensorConfig config = d.withDetection(d.detection().withStatePath(null))
                .withIncidents(d.incidents().withPath(null)).withControl(
                        new SensorConfig.Control(socket.toString(), List.of(), List.of(), NOGROUP));
        try (Daemon daemon = Daemon.start(new Daemon.Options(config, null, List.of(), null))) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            String client = "import socket,sys\n"
                    + "s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])\n"
                    + "s.sendall(b'{\"v\":1,\"id\":1,\"cmd\":\"status\"}\\n')\n"
                    + "print(s.makefile().readline().strip())\n";
            Process p = new ProcessBuilder("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
                    "/usr/bin/python3", "-c", client, socket.toString()).redirectErrorStream(true).start();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            String reply = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(reply.contains("\"code\":\"forbidden\""), reply);
            assertTrue(reply.contains("uid=65534"), reply);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
