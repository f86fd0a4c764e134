package io.spawnwatch.kernel;

import io.spawnwatch.error.BpfException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Seeds the kernel lineage map from /proc at start-up: web servers that were
 * already running, and everything they had spawned, are followed from the
 * first event on. The kernel's fork hook takes over from there.
 */
public final class LineageSeeder {
    private record Proc(int pid, int ppid, String comm, long uid) {}

    private final Path proc;

    public LineageSeeder(Path proc) {
        this.proc = proc;
    }

    /** Returns the number of processes put into the lineage. */
    public int seed(FilterMaps maps, List<String> webNames, Set<Long> webUids) throws BpfException {
        Map<Integer, Proc> all = scan();
        Map<Integer, List<Integer>> children = new HashMap<>();
        for (Proc p : all.values()) {
            children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p.pid());
        }
        int seeded = 0;
        for (Proc p : all.values()) {
            boolean web = WebServerNames.matches(webNames, p.comm()) || webUids.contains(p.uid());
            Proc parent = all.get(p.ppid());
            boolean parentWeb = parent != null
                    && (WebServerNames.matches(webNames, parent.comm()) || webUids.contains(parent.uid()));
            if (!web || parentWeb) {
                continue; // only the topmost web server of a tree is a root
            }
            seeded += seedTree(maps, p.pid(), children);
        }
        return seeded;
    }

    private static int seedTree(FilterMaps maps, int root, Map<Integer, List<Integer>> children)
            throws BpfException {
        int seeded = 0;
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        queue.add(new int[] {root, 0});
        while (!queue.isEmpty()) {
            int[] item = queue.poll();
            for (int child : children.getOrDefault(item[0], List.of())) {
                maps.addLineage(child, root, item[1] + 1);
                seeded++;
                queue.add(new int[] {child, item[1] + 1});
            }
        }
        return seeded;
    }

    private Map<Integer, Proc> scan() {
        Map<Integer, Proc> all = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path dir : dirs) {
                Proc p = read(dir);
                if (p != null) {
                    all.put(p.pid(), p);
                }
            }
        } catch (IOException e) {
            System.getLogger(LineageSeeder.class.getName())
                    .log(System.Logger.Level.WARNING, "cannot list " + proc + ": " + e.getMessage());
        }
        return all;
    }

    /** Name, PPid and Uid from /proc/PID/status; null when the process is gone. */
    private static Proc read(Path dir) {
        try {
            int pid = Integer.parseInt(dir.getFileName().toString());
            String comm = null;
            int ppid = -1;
            long uid = -1;
            for (String line : Files.readAllLines(dir.resolve("status"))) {
                if (line.startsWith("Name:")) {
                    comm = line.substring(5).strip();
                } else if (line.startsWith("PPid:")) {
                    ppid = Integer.parseInt(line.substring(5).strip());
                } else if (line.startsWith("Uid:")) {
                    uid = Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
                }
            }
            return comm == null ? null : new Proc(pid, ppid, comm, uid);
        } catch (IOException | RuntimeException e) {
            return null; // exited while we looked
        }
    }
}
