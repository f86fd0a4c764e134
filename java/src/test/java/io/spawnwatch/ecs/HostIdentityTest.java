package io.spawnwatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** host.* from a directory laid out like a host's root. */
class HostIdentityTest {
    @TempDir
    Path root;

    private void file(String path, String text) throws Exception {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void shouldReadMachineIdOsReleaseAndKernel() throws Exception {
        file("etc/machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
        file("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
                + "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nID=debian\n");
        file("proc/sys/kernel/hostname", "web1\n");
        file("proc/sys/kernel/osrelease", "6.18.44-fc-v657\n");
        file("proc/sys/kernel/random/boot_id", "6f0c1cbe-3c58-4b0e-9d0b-1b8d7f0d2a11\n");
        HostIdentity h = HostIdentity.read(root);
        assertEquals("3d1219c7c4c5404aaa1f6d2a48adfda4", h.id());
        assertEquals("web1", h.name());
        assertEquals("Debian GNU/Linux", h.osName());
        assertEquals("12 (bookworm)", h.osVersion());
        assertEquals("debian", h.osFamily());
        assertEquals("debian", h.osPlatform());
        assertEquals("Debian GNU/Linux 12 (bookworm)", h.osFull());
        assertEquals("6.18.44-fc-v657", h.kernel());
        assertEquals("6f0c1cbe-3c58-4b0e-9d0b-1b8d7f0d2a11", h.bootId());
    }

    @Test
    void shouldTakeTheFamilyFromIdLikeAndTheDbusMachineIdWhenSystemdHasNone() throws Exception {
        file("var/lib/dbus/machine-id", "0123456789abcdef0123456789abcdef\n");
        file("usr/lib/os-release", "NAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nID=ubuntu\nID_LIKE=debian\n");
        HostIdentity h = HostIdentity.read(root);
        assertEquals("0123456789abcdef0123456789abcdef", h.id());
        assertEquals("debian", h.osFamily());
        assertEquals("ubuntu", h.osPlatform());
        assertEquals("24.04", h.osVersion());
        assertEquals("localhost", h.name());
    }

    @Test
    void shouldLeaveOutWhatTheHostDoesNotSay() {
        HostIdentity h = HostIdentity.read(root);
        assertNull(h.id());
        assertNull(h.osName());
        assertNull(h.kernel());
    }

    @Test
    void shouldNameTheArchitectureAsUnameDoes() {
        assertEquals("x86_64", HostIdentity.architecture("amd64"));
        assertEquals("aarch64", HostIdentity.architecture("aarch64"));
    }
}
