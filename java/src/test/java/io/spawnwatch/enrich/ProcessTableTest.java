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
}
