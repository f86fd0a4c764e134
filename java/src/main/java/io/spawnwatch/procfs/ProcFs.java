package io.spawnwatch.procfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one reader of /proc (proc(5)): a process's status, command line, executable, working directory and cgroup.
 * Every read may block on a busy host and may find the process gone; gone is an ordinary answer here (null or
 * empty), never an exception. The root is a parameter so that tests read a fake tree.
 */
public final class ProcFs {
    /**
     * The fields of /proc/PID/status the sensor uses.
     *
     * @param name the comm ("Name:"), at most 15 bytes
     * @param ppid the parent's tgid ("PPid:")
     * @param uid  the real uid (first number of "Uid:")
     */
    public record Status(int pid, String name, int ppid, long uid) {}

    private final Path root;

    /** @param root the proc mount, /proc on a host */
    public ProcFs(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The pids of every process now (the numeric directories); empty when the root cannot be listed. */
    public List<Integer> pids() throws IOException {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "[0-9]*")) {
            for (Path dir : dirs) {
                try {
                    pids.add(Integer.parseInt(dir.getFileName().toString()));
                } catch (NumberFormatException e) {
                    // "[0-9]*" also matches names like "1a": not a process
                }
            }
        }
        return pids;
    }

    /** Name, PPid and Uid of a process; null when it is gone or the file lacks Name or PPid. */
    public Status status(int pid) {
        String text;
        try {
            text = Files.readString(dir(pid).resolve("status"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        return parseStatus(pid, text);
    }

    /** /proc/PID/status text to its Status, or null when Name or PPid is missing or malformed. */
    static Status parseStatus(int pid, String text) {
        String name = null;
        int ppid = -1;
        long uid = -1;
        for (String line : text.split("\n")) {
            try {
                if (line.startsWith("Name:")) {
                    name = line.substring(5).strip();
                } else if (line.startsWith("PPid:")) {
                    ppid = Integer.parseInt(line.substring(5).strip());
                } else if (line.startsWith("Uid:")) {
                    uid = Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return name == null || ppid < 0 ? null : new Status(pid, name, ppid, uid);
    }

    /**
     * /proc/PID/stat counts time in USER_HZ ticks, 100 a second on every Linux ABI
     * (include/asm-generic/param.h); the kernel counts start_boottime in ns.
     */
    public static final long NANOS_PER_TICK = 10_000_000L;

    /**
     * The start time of a process as CLOCK_BOOTTIME ns at tick resolution (/proc/PID/stat field 22,
     * starttime), 0 when it is gone or the file is malformed.
     */
    public long startBootNanos(int pid) {
        String stat;
        try {
            stat = Files.readString(dir(pid).resolve("stat"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return 0;
        }
        return parseStartBootNanos(stat);
    }

    /** Field 22 of a /proc/PID/stat text, in ns; 0 when malformed. */
    static long parseStartBootNanos(String stat) {
        try {
            // The name (field 2) may hold spaces and parentheses: count from the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[22 - 3]) * NANOS_PER_TICK;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** argv as the kernel keeps it (each argument NUL-terminated); null when the process is gone. */
    public byte[] cmdline(int pid) {
        try {
            return Files.readAllBytes(dir(pid).resolve("cmdline"));
        } catch (IOException e) {
            return null;
        }
    }

    /** argv joined with spaces ("" when the process is gone or has none). */
    public String commandLine(int pid) {
        byte[] b = cmdline(pid);
        if (b == null) {
            return "";
        }
        return new String(b, 0, joinArgs(b, b.length), StandardCharsets.UTF_8);
    }

    /**
     * argv bytes as the kernel keeps them into one command line, in place: trailing NULs dropped, the others made
     * spaces. Returns the new length.
     */
    public static int joinArgs(byte[] args, int length) {
        int n = length;
        while (n > 0 && args[n - 1] == 0) {
            n--;
        }
        for (int i = 0; i < n; i++) {
            if (args[i] == 0) {
                args[i] = ' ';
            }
        }
        return n;
    }

    /** The executable's path (the /proc/PID/exe link), "" when unreadable or gone. */
    public String exe(int pid) {
        return link(dir(pid).resolve("exe"));
    }

    /** The working directory (the /proc/PID/cwd link), "" when unreadable or gone. */
    public String cwd(int pid) {
        return link(dir(pid).resolve("cwd"));
    }

    /** /proc/PID/cgroup as text; null when the process is gone. */
    public String cgroup(int pid) {
        try {
            return Files.readString(dir(pid).resolve("cgroup"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private Path dir(int pid) {
        return root.resolve(Integer.toString(pid));
    }

    private static String link(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }
}
