package io.spawnwatch.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.spawnwatch.event.ExecRecord;
import io.spawnwatch.event.RecordDescriptor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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
    void shouldFillSessionGroupTtyAndStartTimesAsProcShowsThem() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "sw-id-");
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
        } finally {
            Files.deleteIfExists(server);
            Files.deleteIfExists(dir);
        }
    }

    /** The fields of /proc/PID/stat this test compares (proc(5)). */
    private record Stat(int pgid, int sid, int ttyNr, long startTicks) {
        static Stat of(int pid) throws IOException {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
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
