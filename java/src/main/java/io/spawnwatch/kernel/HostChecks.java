package io.spawnwatch.kernel;

import io.spawnwatch.error.HostSetupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks, before anything is loaded, that this host can run the sensor, so
 * that the user gets one line saying what to fix instead of a libbpf errno.
 */
public final class HostChecks {
    static final Path BTF = Path.of("/sys/kernel/btf/vmlinux");
    static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;

    private HostChecks() {}

    /** Fails when privileges or BTF are missing; mounts tracefs when it is not. */
    public static void verify() throws HostSetupException {
        verifyPrivileges();
        if (!Files.isReadable(BTF)) {
            throw new HostSetupException("no kernel BTF at " + BTF
                    + ": spawnwatch needs a kernel built with CONFIG_DEBUG_INFO_BTF=y (5.8 or later)");
        }
        ensureTracefs();
    }

    static void verifyPrivileges() throws HostSetupException {
        verifyPrivileges(effectiveCapabilities());
    }

    static void verifyPrivileges(long caps) throws HostSetupException {
        boolean bpf = has(caps, CAP_BPF) || has(caps, CAP_SYS_ADMIN);
        boolean perfmon = has(caps, CAP_PERFMON) || has(caps, CAP_SYS_ADMIN);
        if (!bpf || !perfmon) {
            throw new HostSetupException("missing privileges: loading and attaching BPF programs needs root or "
                    + "CAP_BPF and CAP_PERFMON (effective capabilities here: 0x" + Long.toHexString(caps)
                    + "); run as root, or in a container with --privileged");
        }
    }

    /**
     * The connect hook's last fallback is a classic tracepoint, which libbpf
     * finds through tracefs. Mount it if we can, else say how.
     */
    static void ensureTracefs() throws HostSetupException {
        if (isMounted(TRACEFS.toString()) || Files.exists(TRACEFS.resolve("events"))) {
            return;
        }
        try {
            Process p = new ProcessBuilder("mount", "-t", "tracefs", "tracefs", TRACEFS.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() != 0) {
                throw new HostSetupException("tracefs is not mounted at " + TRACEFS + " and mounting it failed ("
                        + out + "): run `mount -t tracefs tracefs " + TRACEFS + "`");
            }
        } catch (IOException e) {
            throw new HostSetupException("tracefs is not mounted at " + TRACEFS + " (" + e.getMessage()
                    + "): run `mount -t tracefs tracefs " + TRACEFS + "`");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostSetupException("interrupted while mounting tracefs");
        }
    }

    static boolean isMounted(String mountPoint) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/mounts"));
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f.length > 1 && f[1].equals(mountPoint)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    static long effectiveCapabilities() throws HostSetupException {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new HostSetupException("cannot read capabilities from /proc/self/status: " + e.getMessage());
        }
        throw new HostSetupException("no CapEff line in /proc/self/status");
    }

    private static boolean has(long caps, int cap) {
        return (caps & (1L << cap)) != 0;
    }
}
