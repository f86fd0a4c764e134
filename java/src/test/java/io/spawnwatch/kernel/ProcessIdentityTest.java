package io.spawnwatch.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.spawnwatch.event.ExecRecord;
import io.spawnwatch.event.ProcessRecord;
import io.spawnwatch.event.RecordDescriptor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity fields of struct sw_process, as the real kernel fills them,
 * against what the same kernel says in /proc about the same processes: a
 * fake web server (bash under a test name) on a pseudo-terminal from
 * script(1), and the sleep it forks.
 */
@Tag("kernel")
class ProcessIdentityTest {
    private static final long NANOS_PER_TICK = 10_000_000L;

    @Test
    void shouldFillSessionGroupTtyAndStartTimesAsProcShowsThem(@TempDir Path dir) throws Exception {
        Path server = dir.resolve("swidentsrv");
        Files.createSymbolicLink(server, Path.of("/bin/bash"));
        try (KernelRecorder kernel = KernelRecorder.open()) {
            kernel.maps().addName("swidentsrv");
            // script(1) gives the command a pty as its controlling terminal and its own session.
            Process p = new ProcessBuilder("script", "-qec", server + " -c 'sleep 4 & wait'", "/dev/null")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                MemorySegment s = kernel.await(r -> {
                    ExecRecord e = new ExecRecord().wrap(r, 0);
                    return e.type() == RecordDescriptor.TYPE_EXEC && e.comm(new io.spawnwatch.event.SegmentText())
                            .toString().equals("sleep") && e.lineageDepth() == 1;
                }, Duration.ofSeconds(10), "the sleep forked by swidentsrv");
                ExecRecord sleep = new ExecRecord().wrap(s, 0);
                Stat own = Stat.of(sleep.pid());
                Stat parent = Stat.of(sleep.ppid());

                assertEquals(own.pgid, sleep.pgid(), "pgid");
                assertEquals(own.sid, sleep.sid(), "sid");
                assertNotEquals(0, own.ttyNr, "script(1) gave no terminal: the test proves nothing");
                assertEquals(own.ttyNr, sleep.tty(), "tty_nr");
                assertEquals(own.startTicks, sleep.startBootNanos() / NANOS_PER_TICK, "start time (ticks)");
                assertEquals(parent.startTicks, sleep.parentStartBootNanos() / NANOS_PER_TICK, "parent start");
                assertEquals(sleep.ppid(), sleep.lineageRoot(), "the fake server is the root");
                assertEquals(sleep.parentStartBootNanos(), sleep.rootStartBootNanos(), "root start = parent start");
                assertEquals(egid(sleep.pid()), sleep.egid(), "egid");
            } finally {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A multithreaded server whose worker thread connects, then forks and execs: the records carry the process's
     * start (its group leader's, /proc/PID/stat field 22) as their own and as the child's parent start, never the
     * worker thread's, which started 300 ms later.
     */
    @Test
    void shouldCarryTheProcessStartNotTheWorkerThreadsWhenAWorkerConnectsAndForks(@TempDir Path dir)
            throws Exception {
        Path server = dir.resolve("swmtsrv");
        Files.createSymbolicLink(server, Path.of("/usr/bin/python3"));
        String program = String.join("\n",
                "import os, socket, sys, threading, time",
                "time.sleep(0.3)",
                "def work():",
                "    s = socket.socket()",
                "    try:",
                "        s.connect(('127.0.0.1', 1))",
                "    except OSError:",
                "        pass",
                "    pid = os.fork()",
                "    if pid == 0:",
                "        os.execv('/bin/sleep', ['sleep', '3'])",
                "    os.waitpid(pid, 0)",
                "t = threading.Thread(target=work)",
                "t.start()",
                "t.join()");
        try (KernelRecorder kernel = KernelRecorder.open()) {
            kernel.maps().addName("swmtsrv");
            Process p = new ProcessBuilder(server.toString(), "-c", program).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                int serverPid = (int) p.pid();
                ExecRecord sleep = new ExecRecord().wrap(kernel.await(r -> {
                    ExecRecord e = new ExecRecord().wrap(r, 0);
                    return e.type() == RecordDescriptor.TYPE_EXEC && e.ppid() == serverPid;
                }, Duration.ofSeconds(10), "the exec of sleep forked by swmtsrv's worker thread"), 0);
                Stat process = Stat.of(serverPid);
                Stat worker = workerThread(serverPid);
                assertNotEquals(process.startTicks, worker.startTicks,
                        "the worker thread started in the same tick as its process: the test proves nothing");

                assertEquals(process.startTicks, sleep.parentStartBootNanos() / NANOS_PER_TICK, "exec: parent start");
                assertEquals("swmtsrv", sleep.parentComm(new io.spawnwatch.event.SegmentText()).toString());
                ProcessRecord fork = new ProcessRecord().wrap(kernel.await(r -> {
                    ProcessRecord f = new ProcessRecord().wrap(r, 0);
                    return f.type() == RecordDescriptor.TYPE_FORK && f.pid() == sleep.pid();
                }, Duration.ofSeconds(10), "the fork record of sleep"), 0);
                assertEquals(process.startTicks, fork.parentStartBootNanos() / NANOS_PER_TICK, "fork: parent start");
                ProcessRecord connect = new ProcessRecord().wrap(kernel.await(r -> {
                    ProcessRecord c = new ProcessRecord().wrap(r, 0);
                    return c.type() == RecordDescriptor.TYPE_CONNECT && c.pid() == serverPid;
                }, Duration.ofSeconds(10), "the worker thread's connect"), 0);
                assertNotEquals(serverPid, connect.tid(), "the connect came from the worker thread");
                assertEquals(process.startTicks, connect.startBootNanos() / NANOS_PER_TICK, "connect: own start");
                assertEquals(sleep.parentStartBootNanos(), connect.startBootNanos(), "one process, one start");
            } finally {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The one thread of pid that is not its leader. */
    private static Stat workerThread(int pid) throws IOException {
        try (var tasks = Files.list(Path.of("/proc", Integer.toString(pid), "task"))) {
            List<Path> others = tasks.filter(t -> !t.getFileName().toString().equals(Integer.toString(pid))).toList();
            assertEquals(1, others.size(), "threads of " + pid + " besides its leader: " + others);
            return Stat.of(others.getFirst().resolve("stat"));
        }
    }

    /** The fields of /proc/PID/stat this test compares (proc(5)). */
    private record Stat(int pgid, int sid, int ttyNr, long startTicks) {
        static Stat of(int pid) throws IOException {
            return of(Path.of("/proc", Integer.toString(pid), "stat"));
        }

        static Stat of(Path file) throws IOException {
            String stat = Files.readString(file);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): field n is f[n - 3].
            return new Stat(Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                    Long.parseLong(f[19]));
        }
    }

    private static long egid(int pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
            if (line.startsWith("Gid:")) {
                return Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
            }
        }
        throw new AssertionError("no Gid: line for " + pid);
    }
}
