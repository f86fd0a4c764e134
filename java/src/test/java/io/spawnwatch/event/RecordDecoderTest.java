package io.spawnwatch.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {
    private static MemorySegment exec() {
        return TestRecords.exec(4242, 4000, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www", "/usr/sbin/php-fpm8.2",
                33, 4000, 1, "sh", "-c", "id");
    }

    private static MemorySegment connect() {
        return TestRecords.connect(4242, 4000, "curl", "sh", 33, 4000, 2, "10.0.0.2", "203.0.113.5", 443);
    }

    @Test
    void shouldWrapTheFlyweightOfEachKnownType() {
        RecordDecoder d = new RecordDecoder();
        assertEquals(EventType.EXEC, d.decode(exec(), 0, ExecRecordDescriptor.LENGTH));
        assertEquals(4242, d.record().pid());
        assertEquals("/usr/bin/dash", d.exec().exe(new SegmentText()).toString());
        assertEquals(EventType.CONNECT, d.decode(connect(), 0, ConnectRecordDescriptor.LENGTH));
        assertEquals(443, d.connect().destinationPort());
        assertEquals(d.connect(), d.record());
        assertEquals(new DecodeStats(2, 0, 0, 0, 0), d.stats());
    }

    @Test
    void shouldCountAndSkipARecordOfAnotherVersion() {
        RecordDecoder d = new RecordDecoder();
        MemorySegment s = exec();
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, RecordDescriptor.VERSION_OFFSET, (short) (RecordDescriptor.VERSION + 1));
        assertNull(d.decode(s, 0, ExecRecordDescriptor.LENGTH));
        assertEquals(new DecodeStats(0, 0, 1, 0, 0), d.stats());
    }

    @Test
    void shouldCountAndSkipAnUnknownOrInvalidType() {
        RecordDecoder d = new RecordDecoder();
        for (short type : new short[] {0, 99}) {
            MemorySegment s = exec();
            s.set(ValueLayout.JAVA_SHORT_UNALIGNED, RecordDescriptor.TYPE_OFFSET, type);
            assertNull(d.decode(s, 0, ExecRecordDescriptor.LENGTH));
        }
        assertEquals(new DecodeStats(0, 0, 0, 2, 0), d.stats());
    }

    @Test
    void shouldCountAndSkipARecordWhoseSizeIsNotItsTypes() {
        RecordDecoder d = new RecordDecoder();
        MemorySegment wrongHeader = exec();
        wrongHeader.set(ValueLayout.JAVA_INT_UNALIGNED, RecordDescriptor.SIZE_OFFSET, ConnectRecordDescriptor.LENGTH);
        assertNull(d.decode(wrongHeader, 0, ExecRecordDescriptor.LENGTH));
        // a connect header over a record the ring says is shorter than a connect record
        assertNull(d.decode(connect(), 0, ConnectRecordDescriptor.LENGTH - 8));
        // shorter than a header
        assertNull(d.decode(connect(), 0, RecordDescriptor.HEADER_LENGTH - 1));
        assertEquals(new DecodeStats(0, 3, 0, 0, 0), d.stats());
        assertEquals(3, d.stats().rejected());
    }

    @Test
    void shouldCountExecRecordsWhoseArgvOrPathReadFailed() {
        RecordDecoder d = new RecordDecoder();
        MemorySegment noArgs = exec(); // argc 3, but no argument bytes: the argv read failed
        noArgs.set(ValueLayout.JAVA_SHORT_UNALIGNED, ExecRecordDescriptor.ARGS_LEN_OFFSET, (short) 0);
        assertEquals(EventType.EXEC, d.decode(noArgs, 0, ExecRecordDescriptor.LENGTH));
        MemorySegment noPath = exec();
        noPath.set(ValueLayout.JAVA_SHORT_UNALIGNED, ExecRecordDescriptor.EXE_LEN_OFFSET, (short) 0);
        assertEquals(EventType.EXEC, d.decode(noPath, 0, ExecRecordDescriptor.LENGTH));
        MemorySegment noArgv = TestRecords.exec(1, 0, "sh", "x", "/usr/bin/dash", "/", "/x", 0, 0, 0); // argc 0
        assertEquals(EventType.EXEC, d.decode(noArgv, 0, ExecRecordDescriptor.LENGTH));
        assertEquals(new DecodeStats(3, 0, 0, 0, 2), d.stats());
    }
}
