package io.spawnwatch.ecs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the ECS {@code host.*} fields say about this machine, read once at
 * start: {@code host.id} from /etc/machine-id (systemd's stable host id, what
 * Elastic Agent reports; else D-Bus's /var/lib/dbus/machine-id; a container
 * needs the host's mounted, see deploy/README.md), {@code host.os.*} from /etc/os-release (the keys
 * Beats map: NAME, VERSION, ID, ID_LIKE, PRETTY_NAME) and the kernel release
 * and boot id from /proc. A file that cannot be read leaves its fields empty
 * (null), never stops the sensor.
 *
 * @param id /etc/machine-id (32 hex digits), or null
 * @param name the kernel's host name (host.name and host.hostname)
 * @param osName os-release NAME, e.g. "Debian GNU/Linux"
 * @param osVersion os-release VERSION, e.g. "12 (bookworm)", else VERSION_ID
 * @param osFamily the first of ID_LIKE, else ID: "debian", "rhel"...
 * @param osPlatform os-release ID: "debian", "ubuntu"...
 * @param osFull os-release PRETTY_NAME
 * @param kernel /proc/sys/kernel/osrelease
 * @param architecture the machine as uname -m names it: x86_64, aarch64
 * @param bootId /proc/sys/kernel/random/boot_id: changes at every boot, so that
 *     (pid, start time since boot) is unique per host only together with it
 */
public record HostIdentity(String id, String name, String osName, String osVersion, String osFamily,
        String osPlatform, String osFull, String kernel, String architecture, String bootId) {

    /** ECS host.os.type for every host this sensor runs on. */
    public static final String OS_TYPE = "linux";

    /** Reads the running host (root: "/"; tests pass a directory laid out like one). */
    public static HostIdentity read(Path root) {
        Path etc = root.resolve("etc");
        Path kernelDir = root.resolve("proc/sys/kernel");
        Map<String, String> os = osRelease(etc.resolve("os-release"));
        if (os.isEmpty()) {
            os = osRelease(root.resolve("usr/lib/os-release"));
        }
        String id = os.get("ID");
        String like = os.get("ID_LIKE");
        String family = like != null && !like.isBlank() ? like.strip().split("\\s+")[0] : id;
        String version = os.get("VERSION") != null ? os.get("VERSION") : os.get("VERSION_ID");
        String hostName = line(kernelDir.resolve("hostname"));
        String machineId = line(etc.resolve("machine-id"));
        if (machineId == null) {
            machineId = line(root.resolve("var/lib/dbus/machine-id")); // D-Bus's copy, on hosts without systemd's
        }
        return new HostIdentity(machineId, hostName == null ? "localhost" : hostName,
                os.get("NAME"), version, family, id, os.get("PRETTY_NAME"), line(kernelDir.resolve("osrelease")),
                architecture(System.getProperty("os.arch")), line(kernelDir.resolve("random/boot_id")));
    }

    /** Java's os.arch as uname -m names the machine (the form ECS examples and Beats use). */
    static String architecture(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> javaArch;
        };
    }

    private static String line(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? null : s;
        } catch (IOException e) {
            return null;
        }
    }

    /** os-release(5): KEY=value lines, values optionally quoted. */
    static Map<String, String> osRelease(Path file) {
        Map<String, String> out = new HashMap<>();
        try {
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = l.indexOf('=');
                if (eq <= 0 || l.startsWith("#")) {
                    continue;
                }
                String v = l.substring(eq + 1).strip();
                if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.endsWith(v.substring(0, 1))) {
                    v = v.substring(1, v.length() - 1);
                }
                out.put(l.substring(0, eq).strip(), v);
            }
        } catch (IOException e) {
            // no os-release: host.os.* other than type stays empty
        }
        return out;
    }
}
