package io.spawnwatch.kernel;

import io.spawnwatch.error.BpfException;
import io.spawnwatch.procfs.ProcFs;
import java.io.IOException;
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

    private final ProcFs procFs;

    public LineageSeeder(Path proc) {
        this.procFs = new ProcFs(proc);
    }

    /**
     * Returns the number of processes put into the lineage. A process is a web
     * server by name, by uid, or as an interpreter whose command line shows a
     * server; the last are made roots themselves, since the kernel knows them
     * by no name.
     */
    public int seed(FilterMaps maps, List<String> webNames, Set<Long> webUids, List<String> interpreters,
            ServerCommandLines serverLines, java.util.function.IntConsumer seeded) throws BpfException {
        Map<Integer, Proc> all = scan();
        Set<Integer> servers = new java.util.HashSet<>();
        for (Proc p : all.values()) {
            if (WebServerNames.matches(interpreters, p.comm()) && serverLines.find(cmdline(p.pid())) != null) {
                servers.add(p.pid());
            }
        }
        Map<Integer, List<Integer>> children = new HashMap<>();
        for (Proc p : all.values()) {
            children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p.pid());
        }
        int count = 0;
        for (Proc p : all.values()) {
            boolean web = isWeb(p, webNames, webUids, servers);
            Proc parent = all.get(p.ppid());
            if (!web || (parent != null && isWeb(parent, webNames, webUids, servers))) {
                continue; // only the topmost web server of a tree is a root
            }
            long rootStart = startBootNanos(p.pid());
            if (servers.contains(p.pid())) {
                maps.addRoot(p.pid(), rootStart);
                count++;
            }
            seeded.accept(p.pid());
            count += seedTree(maps, p.pid(), rootStart, children, seeded);
        }
        return count;
    }

    private static boolean isWeb(Proc p, List<String> webNames, Set<Long> webUids, Set<Integer> servers) {
        return WebServerNames.matches(webNames, p.comm()) || webUids.contains(p.uid()) || servers.contains(p.pid());
    }

    /** argv joined with spaces, or "" when the process is gone. */
    private String cmdline(int pid) {
        return procFs.commandLine(pid);
    }

    /** The start time of a process as CLOCK_BOOTTIME ns at tick resolution, 0 when it is gone. */
    long startBootNanos(int pid) {
        return procFs.startBootNanos(pid);
    }

    private static int seedTree(FilterMaps maps, int root, long rootStart, Map<Integer, List<Integer>> children,
            java.util.function.IntConsumer seededPid) throws BpfException {
        int seeded = 0;
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        queue.add(new int[] {root, 0});
        while (!queue.isEmpty()) {
            int[] item = queue.poll();
            for (int child : children.getOrDefault(item[0], List.of())) {
                maps.addLineage(child, root, rootStart, item[1] + 1);
                seededPid.accept(child);
                seeded++;
                queue.add(new int[] {child, item[1] + 1});
            }
        }
        return seeded;
    }

    private Map<Integer, Proc> scan() {
        Map<Integer, Proc> all = new HashMap<>();
        List<Integer> pids;
        try {
            pids = procFs.pids();
        } catch (IOException e) {
            System.getLogger(LineageSeeder.class.getName())
                    .log(System.Logger.Level.WARNING, "cannot list " + procFs.root() + ": " + e.getMessage());
            return all;
        }
        for (int pid : pids) {
            ProcFs.Status st = procFs.status(pid); // null: exited while we looked
            if (st != null) {
                all.put(pid, new Proc(pid, st.ppid(), st.name(), st.uid()));
            }
        }
        return all;
    }
}
