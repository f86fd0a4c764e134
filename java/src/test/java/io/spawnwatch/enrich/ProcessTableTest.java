package io.spawnwatch.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.spawnwatch.event.ExecRecord;
import io.spawnwatch.event.SegmentText;
import io.spawnwatch.event.TestRecords;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessTableTest {
    private static final Path NO_PROC = Path.of("/nonexistent-proc");

    @Test
    void shouldRememberExecsAndGiveTheirCommandLines() {
        ProcessTable table = new ProcessTable(64, NO_PROC);
        table.recordExec(new ExecRecord().wrap(
                TestRecords.exec(100, 1, "nginx", "systemd", "/usr/sbin/nginx", "/", "/sbin/init", 0, 0, 0,
                        "nginx", "-g", "daemon off;"), 0));
        ProcessTable.Entry e = table.get(100);
        assertNotNull(e);
        assertEquals("nginx -g daemon off;", e.commandLine(new SegmentText()).toString());
        assertEquals("/usr/sbin/nginx", e.executable(new SegmentText()).toString());
        assertEquals(1, e.ppid());
    }

    @Test
    void shouldStayWithinItsCapacityAndCountEvictions() {
        ProcessTable table = new ProcessTable(64, NO_PROC);
        for (int pid = 1000; pid < 1000 + 10_000; pid++) {
            table.recordExec(new ExecRecord().wrap(
                    TestRecords.exec(pid, 1, "x", "y", "/tmp/x" + pid, "/", "/y", 0, 0, 0, "x" + pid), 0));
        }
        assertEquals(10_000 - 64, table.evictions());
        assertNull(table.peek(1000), "the oldest were evicted");
        assertEquals("/tmp/x10999", table.peek(10_999).executable(new SegmentText()).toString());
    }

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldKeepThePathAProcessWasStartedByAndGiveItToItsForksButNotToAReusedPid() {
        ProcessTable table = new ProcessTable(64, NO_PROC);
        table.recordExec(new ExecRecord().wrap(TestRecords.started(TestRecords.startedAs(TestRecords.exec(300, 200,
                "nc", "sh", "/usr/bin/nc.openbsd", "/tmp", "/usr/bin/dash", 33, 0, 0, "nc", "-l", "4444"),
                "/usr/bin/nc"), 5 * SECOND, SECOND), 0));
        assertEquals("/usr/bin/nc", table.peek(300).invokedPath(new SegmentText()).toString());
        // nc -l -e forks before it execs the shell: the fork runs nc, started as /usr/bin/nc.
        table.recordFork(new io.spawnwatch.event.ProcessRecord().wrap(
                TestRecords.started(TestRecords.fork(301, 300, "nc", 1, 2), 6 * SECOND, 5 * SECOND), 0));
        assertEquals("/usr/bin/nc", table.peek(301).invokedPath(new SegmentText()).toString());
        // pid 300 reused by a program started by its own path: nothing of the old one's.
        table.recordExec(new ExecRecord().wrap(TestRecords.started(TestRecords.exec(300, 200, "id", "sh",
                "/usr/bin/id", "/tmp", "/usr/bin/dash", 33, 0, 0, "id"), 9 * SECOND, SECOND), 0));
        assertEquals("", table.peek(300).invokedPath(new SegmentText()).toString());
    }

    @Test
    void shouldNeverLendAReusedPidsPast() {
        ProcessTable table = new ProcessTable(64, NO_PROC);
        table.recordExec(new ExecRecord().wrap(TestRecords.started(TestRecords.exec(300, 200, "sh", "x",
                "/usr/bin/dash", "/", "/y", 0, 0, 0, "sh", "-c", "old"), 5 * SECOND, SECOND), 0));
        // pid 300 again, started later: a new process, forked by 400.
        table.recordFork(new io.spawnwatch.event.ProcessRecord().wrap(
                TestRecords.started(TestRecords.fork(300, 400, "php-fpm8.2", 1, 2), 9 * SECOND, 2 * SECOND), 0));
        ProcessTable.Entry e = table.get(300, 9 * SECOND);
        assertEquals(400, e.ppid());
        assertEquals("", e.commandLine(new SegmentText()).toString(), "nothing of the old process");
        assertNull(table.get(300, 5 * SECOND), "the old process is gone and /proc cannot bring it back");
        assertEquals(1, table.staleSkipped());
    }

    @Test
    void shouldGiveAForkedOnlyProcessItsParentsProgramAndKeepItsParentAfterReparenting() {
        ProcessTable table = new ProcessTable(64, NO_PROC);
        table.recordExec(new ExecRecord().wrap(TestRecords.started(TestRecords.exec(500, 1, "bash", "systemd",
                "/usr/bin/bash", "/srv", "/sbin/init", 0, 500, 0, "bash", "-c", "x=$(cat f; true)"), SECOND, 1), 0));
        table.recordFork(new io.spawnwatch.event.ProcessRecord().wrap(
                TestRecords.started(TestRecords.fork(501, 500, "bash", 500, 1), 2 * SECOND, SECOND), 0));
        ProcessTable.Entry sub = table.get(501, 2 * SECOND);
        assertEquals("bash -c x=$(cat f; true)", sub.commandLine(new SegmentText()).toString());
        assertEquals("/usr/bin/bash", sub.executable(new SegmentText()).toString());
        // It execs after its parent died and it was reparented to init (ppid 1 in the record).
        table.recordExec(new ExecRecord().wrap(TestRecords.started(TestRecords.exec(501, 1, "sh", "systemd",
                "/usr/bin/dash", "/srv", "/sbin/init", 0, 500, 1, "sh"), 2 * SECOND, 3), 0));
        assertEquals(500, table.get(501, 2 * SECOND).ppid(), "the parent it was forked from");
        assertEquals(SECOND, table.get(501, 2 * SECOND).parentStartBootNanos());
    }

    @Test
    void shouldCompareStartTimesAtProcsTickResolution() {
        assertEquals(true, ProcessTable.sameProcess(1_234_567_890L, 1_230_000_000L), "same 10 ms tick");
        assertEquals(false, ProcessTable.sameProcess(1_234_567_890L, 1_240_000_000L));
        assertEquals(true, ProcessTable.sameProcess(0, 1_240_000_000L), "unknown matches any");
    }
}
