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
        MemorySegment noArgs = exec(); // the kernel flags the argv read it could not do
        noArgs.set(ValueLayout.JAVA_SHORT_UNALIGNED, ExecRecordDescriptor.FAILED_OFFSET,
                (short) ExecRecordDescriptor.TRUNC_ARGS);
        assertEquals(EventType.EXEC, d.decode(noArgs, 0, ExecRecordDescriptor.LENGTH));
        MemorySegment noPath = exec(); // and the path walk that stopped on a failed name read
        noPath.set(ValueLayout.JAVA_SHORT_UNALIGNED, ExecRecordDescriptor.FAILED_OFFSET,
                (short) ExecRecordDescriptor.TRUNC_EXE);
        assertEquals(EventType.EXEC, d.decode(noPath, 0, ExecRecordDescriptor.LENGTH));
        // argc 0 and no flag: a program run with an empty argv, nothing failed
        MemorySegment noArgv = TestRecords.exec(1, 0, "sh", "x", "/usr/bin/dash", "/", "/x", 0, 0, 0);
        assertEquals(EventType.EXEC, d.decode(noArgv, 0, ExecRecordDescriptor.LENGTH));
        assertEquals(new DecodeStats(3, 0, 0, 0, 2), d.stats());
    }

    @Test
    void shouldDecodeListenAndForkRecords() {
        RecordDecoder d = new RecordDecoder();
        assertEquals(EventType.LISTEN, d.decode(TestRecords.listen(5, 4, "nc", "sh", 33, 1, 2, "0.0.0.0", 4445), 0,
                ListenRecordDescriptor.LENGTH));
        assertEquals(4445, d.listen().port());
        assertEquals(EventType.FORK, d.decode(TestRecords.fork(6, 5, "sh", 1, 3), 0, ForkRecordDescriptor.LENGTH));
        assertEquals(6, d.record().pid());
        assertEquals(new DecodeStats(2, 0, 0, 0, 0), d.stats());
    }
}
