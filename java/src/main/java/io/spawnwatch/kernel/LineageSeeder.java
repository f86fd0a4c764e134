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

    /**
     * /proc/PID/stat counts time in USER_HZ ticks, 100 a second on every Linux
     * ABI (include/asm-generic/param.h); the kernel counts start_boottime in ns.
     */
    static final long NANOS_PER_TICK = 10_000_000L;

    private final Path proc;

    public LineageSeeder(Path proc) {
        this.proc = proc;
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
        try {
            byte[] b = Files.readAllBytes(proc.resolve(Integer.toString(pid)).resolve("cmdline"));
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0) {
                    b[i] = ' ';
                }
            }
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The start time of a process as CLOCK_BOOTTIME ns at tick resolution
     * (/proc/PID/stat field 22, starttime), 0 when it is gone.
     */
    long startBootNanos(int pid) {
        try {
            String stat = Files.readString(proc.resolve(Integer.toString(pid)).resolve("stat"));
            // The name (field 2) may hold spaces and parentheses: count from the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[22 - 3]) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
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
