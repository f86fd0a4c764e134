package io.spawnwatch.kernel;

import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.error.BpfException;
import io.spawnwatch.recognition.ListeningSockets;
import io.spawnwatch.recognition.OwnArguments;
import io.spawnwatch.recognition.ProcessClock;
import io.spawnwatch.recognition.ServerRecognizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Seeds the kernel lineage map from /proc at start-up: web servers that were
 * already running, and everything they had spawned, are followed from the
 * first event on. The kernel's fork and exec hooks take over from there.
 *
 * <p>A running process is a root when it is a web server by the same rules
 * the kernel and {@link ServerRecognizer} apply to new ones: a configured
 * name that is the program itself (not a #! script carrying the name), a
 * web-server uid, a runtime holding a listening TCP socket (/proc/net/tcp and
 * tcp6), or an interpreter whose own arguments name a server. Roots go into
 * the map at depth 0, their descendants below them.
 */
public final class LineageSeeder {
    private record Proc(int pid, int ppid, String comm, long uid) {}

    /** Kept for the tests of this class: ProcessClock has the definition. */
    static final long NANOS_PER_TICK = ProcessClock.NANOS_PER_TICK;

    private final Path proc;
    private final ProcessClock clock;

    public LineageSeeder(Path proc) {
        this.proc = proc;
        this.clock = new ProcessClock(proc);
    }

    /**
     * Returns the number of processes put into the lineage, roots included;
     * {@code seeded} sees each of them (the sensor reads them into its process
     * table while they are alive).
     */
    public int seed(FilterMaps maps, SensorConfig.WebServers config, Set<Long> webUids,
            ServerRecognizer recognizer, IntConsumer seeded) throws BpfException {
        Map<Integer, Proc> all = scan();
        Map<Integer, String> reasons = new HashMap<>();
        for (ListeningSockets.Listener l : new ListeningSockets(proc).find()) {
            Proc p = all.get(l.pid());
            String why = p == null ? null : recognizer.listenReason(p.comm());
            if (why != null) {
                reasons.put(p.pid(), why + ", listening on TCP port " + l.port() + " at start-up");
            }
        }
        for (Proc p : all.values()) {
            if (reasons.containsKey(p.pid())) {
                continue;
            }
            String why = rootReason(p, config, webUids);
            if (why != null) {
                reasons.put(p.pid(), why);
            }
        }
        Map<Integer, List<Integer>> children = new HashMap<>();
        for (Proc p : all.values()) {
            children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p.pid());
        }
        int count = 0;
        reasons.remove(SELF);
        for (Proc p : all.values()) {
            if (!reasons.containsKey(p.pid()) || isBelowRoot(p, all, reasons)) {
                continue; // only the topmost root of a tree is a root
            }
            long rootStart = clock.startBootNanos(p.pid());
            if (rootStart < 0) {
                continue; // gone meanwhile
            }
            maps.addRoot(p.pid(), rootStart);
            recognizer.noteKernelRoot(p.pid(), rootStart, p.comm(), reasons.get(p.pid()) + " (seeded)");
            seeded.accept(p.pid());
            count += 1 + seedTree(maps, p.pid(), rootStart, children, seeded);
        }
        return count;
    }

    /**
     * Puts the live descendants of a root that user space has just recognised
     * into the lineage map: a server that forked (and exec'd) before the
     * decision reached the kernel keeps those children followed. Returns how
     * many were added.
     */
    public int seedDescendants(FilterMaps maps, int rootPid, long rootStartBootNanos) throws BpfException {
        Map<Integer, List<Integer>> children = new HashMap<>();
        for (Proc p : scan().values()) {
            children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p.pid());
        }
        return seedTree(maps, rootPid, rootStartBootNanos, children, pid -> {});
    }

    private static boolean isBelowRoot(Proc p, Map<Integer, Proc> all, Map<Integer, String> reasons) {
        Proc up = all.get(p.ppid());
        for (int hops = 0; up != null && hops < 64; hops++) {
            if (reasons.containsKey(up.pid())) {
                return true;
            }
            up = all.get(up.ppid());
        }
        return false;
    }

    /** Why a running process is a root by name, uid or own arguments; null when it is not. */
    private String rootReason(Proc p, SensorConfig.WebServers config, Set<Long> webUids) {
        if (WebServerNames.matches(config.names(), p.comm())) {
            List<String> argv = argv(p.pid());
            if (!isScriptCarryingName(argv, p.comm())) {
                return "web-server name " + p.comm();
            }
        }
        if (webUids.contains(p.uid())) {
            return "web-server uid " + p.uid();
        }
        if (WebServerNames.matches(config.interpreters(), p.comm())) {
            List<String> argv = argv(p.pid());
            String fragment = new ServerCommandLines(config.serverCommandLines()).find(OwnArguments.of(argv));
            if (!argv.isEmpty() && fragment != null) {
                return "interpreter " + p.comm() + " whose own arguments contain '" + fragment + "'";
            }
        }
        return null;
    }

    /**
     * For a #! script the kernel rewrites argv to (interpreter, [option],
     * script, args...), so argv[0] does not name the comm but a later
     * argument does (/bin/sh /etc/init.d/nginx rotate); a program run under
     * its name has it in argv[0].
     */
    static boolean isScriptCarryingName(List<String> argv, String comm) {
        if (argv.isEmpty() || startsWithComm(baseName(argv.get(0)), comm)) {
            return false;
        }
        for (int i = 1; i < Math.min(argv.size(), 3); i++) {
            if (startsWithComm(baseName(argv.get(i)), comm)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithComm(String name, String comm) {
        return !comm.isEmpty() && (name.equals(comm) || (comm.length() == WebServerNames.COMM_MAX
                && name.startsWith(comm)));
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** argv of a live process, empty when it is gone (or a kernel thread). */
    private List<String> argv(int pid) {
        try {
            byte[] b = Files.readAllBytes(proc.resolve(Integer.toString(pid)).resolve("cmdline"));
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0) {
                    out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < b.length) {
                out.add(new String(b, start, b.length - start, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The sensor itself: never in the lineage, nor what it starts (a test JVM starts fake servers). */
    private static final int SELF = (int) ProcessHandle.current().pid();

    private static int seedTree(FilterMaps maps, int root, long rootStart, Map<Integer, List<Integer>> children,
            IntConsumer seededPid) throws BpfException {
        int seeded = 0;
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        queue.add(new int[] {root, 0});
        while (!queue.isEmpty()) {
            int[] item = queue.poll();
            for (int child : children.getOrDefault(item[0], List.of())) {
                if (child == SELF) {
                    continue; // a java that listens (a build tool) may be the sensor's ancestor
                }
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
