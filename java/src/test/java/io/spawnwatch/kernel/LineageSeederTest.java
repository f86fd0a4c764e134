package io.spawnwatch.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Telling a server from a #! script that carries its name, from /proc/PID/cmdline. */
class LineageSeederTest {

    @Test
    void shouldTellAnInitScriptFromTheServerItStarts() {
        // What the kernel leaves in argv for "/etc/init.d/nginx rotate" (a #!/bin/sh script).
        assertTrue(LineageSeeder.isScriptCarryingName(List.of("/bin/sh", "/etc/init.d/nginx", "rotate"), "nginx"));
        assertFalse(LineageSeeder.isScriptCarryingName(List.of("nginx: master process /usr/sbin/nginx"), "nginx"));
        assertFalse(LineageSeeder.isScriptCarryingName(List.of("/usr/sbin/nginx", "-g", "daemon off;"), "nginx"));
        assertFalse(LineageSeeder.isScriptCarryingName(List.of("./nginx", "-c", "sh -c id"), "nginx"));
        assertFalse(LineageSeeder.isScriptCarryingName(List.of(), "nginx"));
    }
}
