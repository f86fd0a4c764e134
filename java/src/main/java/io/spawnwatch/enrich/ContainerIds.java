package io.spawnwatch.enrich;

import io.spawnwatch.procfs.ProcFs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Container id from a process's cgroup path (/proc/PID/cgroup): the 64-hex id
 * that docker, podman (libpod), containerd, CRI-O and kubepods put in it.
 * Cached per cgroup id, bounded (LRU).
 */
public final class ContainerIds {
    private static final Pattern ID = Pattern.compile(
            "(?:docker|libpod|cri-containerd|crio|containerd)[-/]([0-9a-f]{64})|/([0-9a-f]{64})(?:\\.scope)?(?:/|$)");
    private static final String NONE = "";
    private static final int MAX = 4096;

    private final ProcFs procFs;
    private final Map<Long, String> byCgroup = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > MAX;
        }
    };

    public ContainerIds(Path proc) {
        this.procFs = new ProcFs(proc);
    }

    /**
     * The container id, or null for a process on the host (or gone). Reads /proc/PID/cgroup on a cache miss,
     * outside the lock, so a caller of {@link #cached} never waits for it.
     */
    public String of(long cgroupId, int pid) {
        String id = cached(cgroupId);
        if (id == null) {
            id = read(pid);
            if (id == null) {
                return null; // process gone: do not cache a guess
            }
            synchronized (this) {
                byCgroup.put(cgroupId, id);
            }
        }
        return id.isEmpty() ? null : id;
    }

    /** What the cache knows of a cgroup, never reading /proc: the id, "" for the host, null when not known yet. */
    public synchronized String cached(long cgroupId) {
        return byCgroup.get(cgroupId);
    }

    private String read(int pid) {
        String cgroup = procFs.cgroup(pid);
        return cgroup == null ? null : parse(cgroup);
    }

    /** The container id in a /proc/PID/cgroup text, or "" when there is none. */
    static String parse(String cgroupFile) {
        for (String line : cgroupFile.split("\n")) {
            int colon = line.indexOf(':', line.indexOf(':') + 1);
            String path = colon < 0 ? line : line.substring(colon + 1);
            Matcher m = ID.matcher(path);
            if (m.find()) {
                return m.group(1) != null ? m.group(1) : m.group(2);
            }
        }
        return NONE;
    }
}
