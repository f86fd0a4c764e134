package io.spawnwatch.enrich;

import java.io.IOException;
import java.nio.file.Files;
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

    private final Path proc;
    private final Map<Long, String> byCgroup = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > MAX;
        }
    };

    public ContainerIds(Path proc) {
        this.proc = proc;
    }

    /** The container id, or null for a process on the host (or gone). */
    public synchronized String of(long cgroupId, int pid) {
        String id = byCgroup.get(cgroupId);
        if (id == null) {
            id = read(pid);
            if (id == null) {
                return null; // process gone: do not cache a guess
            }
            byCgroup.put(cgroupId, id);
        }
        return id.isEmpty() ? null : id;
    }

    private String read(int pid) {
        try {
            return parse(Files.readString(proc.resolve(Integer.toString(pid)).resolve("cgroup")));
        } catch (IOException e) {
            return null;
        }
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
