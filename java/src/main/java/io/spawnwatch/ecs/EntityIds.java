package io.spawnwatch.ecs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * ECS {@code process.entity_id}: one value per process instance, the same in
 * every document about it (its own and its children's {@code
 * process.parent.entity_id}), and unique across hosts and reboots. A pid is
 * reused, a start time since boot repeats after a reboot, so the id hashes
 * host.id, the boot id, the pid and the start time together: the first 15
 * bytes of SHA-256 (120 bits; collisions need about 2^60 processes), in
 * base64url, 20 characters. The last ids made are remembered in a small
 * direct-mapped cache (a parent and a lineage root recur in document after
 * document), so most documents hash nothing. Not thread-safe: one per writer.
 */
public final class EntityIds {
    private final byte[] hostPart;
    private final MessageDigest sha256;
    private final byte[] buffer = new byte[12];
    private static final int CACHE = 64;
    private final int[] cachedPid = new int[CACHE];
    private final long[] cachedStart = new long[CACHE];
    private final String[] cachedId = new String[CACHE];

    public EntityIds(HostIdentity host) {
        String h = (host.id() == null ? "" : host.id()) + "/" + (host.bootId() == null ? "" : host.bootId()) + "/";
        this.hostPart = h.getBytes(StandardCharsets.UTF_8);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * The entity id of the process {@code pid} that started at
     * {@code startBootNanos} (CLOCK_BOOTTIME ns, the kernel's
     * task->start_boottime); null when the start is unknown (0).
     */
    public String of(int pid, long startBootNanos) {
        if (startBootNanos == 0 || pid <= 0) {
            return null;
        }
        int slot = (int) ((pid * 0x9E3779B1L + startBootNanos) >>> 7) & (CACHE - 1);
        if (cachedId[slot] != null && cachedPid[slot] == pid && cachedStart[slot] == startBootNanos) {
            return cachedId[slot];
        }
        String id = hash(pid, startBootNanos);
        cachedPid[slot] = pid;
        cachedStart[slot] = startBootNanos;
        cachedId[slot] = id;
        return id;
    }

    private String hash(int pid, long startBootNanos) {
        sha256.reset();
        sha256.update(hostPart);
        for (int i = 0; i < 4; i++) {
            buffer[i] = (byte) (pid >>> (24 - 8 * i));
        }
        for (int i = 0; i < 8; i++) {
            buffer[4 + i] = (byte) (startBootNanos >>> (56 - 8 * i));
        }
        sha256.update(buffer);
        byte[] digest = sha256.digest();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 15));
    }
}
