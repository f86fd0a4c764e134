package io.spawnwatch.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class ExecRecordTest {

    @Test
    void shouldReadEveryFieldInPlace() {
        MemorySegment s = TestRecords.exec(4242, 4200, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www",
                "/usr/sbin/php-fpm8.2", 33, 4100, 2, "sh", "-c", "id; uname -a");
        ExecRecord r = new ExecRecord().wrap(s, 0);
        SegmentText t = new SegmentText();
        assertEquals(RecordDescriptor.TYPE_EXEC, r.type());
        assertEquals(4242, r.pid());
        assertEquals(4200, r.ppid());
        assertEquals(33, r.uid());
        assertEquals(4100, r.lineageRoot());
        assertEquals(2, r.lineageDepth());
        assertEquals(3, r.argc());
        assertEquals("sh", r.comm(t).toString());
        assertEquals("php-fpm8.2", r.parentComm(t).toString());
        assertEquals("/usr/bin/dash", r.exe(t).toString());
        assertEquals("/var/www", r.cwd(t).toString());
        assertEquals("/usr/sbin/php-fpm8.2", r.parentExe(t).toString());
        assertEquals("sh -c id; uname -a", r.commandLine(t).toString());
    }

    @Test
    void shouldPresentArgvSeparatorsAsSpacesCharByChar() {
        MemorySegment s = TestRecords.exec(1, 1, "a", "b", "/x", "/", "/y", 0, 0, 0, "a", "b");
        SegmentText t = new ExecRecord().wrap(s, 0).commandLine(new SegmentText());
        assertEquals(3, t.length());
        assertEquals('a', t.charAt(0));
        assertEquals(' ', t.charAt(1));
        assertEquals('b', t.charAt(2));
    }

    @Test
    void shouldDecodeUtf8OnlyForOutput() {
        MemorySegment s = TestRecords.exec(1, 1, "a", "b", "/tmp/\u00e9t\u00e9", "/", "/y", 0, 0, 0, "x");
        SegmentText t = new ExecRecord().wrap(s, 0).exe(new SegmentText());
        assertEquals(10, t.length()); // bytes (é is two), as rules see them
        assertEquals("/tmp/\u00e9t\u00e9", t.toString());
    }
}
