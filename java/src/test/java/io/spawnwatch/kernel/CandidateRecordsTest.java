package io.spawnwatch.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spawnwatch.event.ExecRecord;
import io.spawnwatch.event.ProcessDescriptor;
import io.spawnwatch.event.RecordDescriptor;
import io.spawnwatch.event.SegmentText;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What the kernel sends alone for user space to judge: an interpreter's exec outside the lineage. */
@Tag("kernel")
class CandidateRecordsTest {

    @Test
    void shouldSendAnInterpretersExecAloneAsACandidate() throws Exception {
        try (KernelRecorder kernel = KernelRecorder.open()) {
            kernel.maps().addInterpreter("python*");
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "pass", "swcandidate").start();
            p.waitFor(10, TimeUnit.SECONDS);
            MemorySegment r = kernel.await(s -> {
                ExecRecord e = new ExecRecord().wrap(s, 0);
                return e.type() == RecordDescriptor.TYPE_EXEC && e.pid() == p.pid();
            }, Duration.ofSeconds(10), "python3's exec");
            ExecRecord e = new ExecRecord().wrap(r, 0);
            assertEquals("python3", e.comm(new SegmentText()).toString());
            assertEquals(ProcessDescriptor.MATCH_CANDIDATE, e.match());
            assertEquals(0, e.lineageDepth());
        }
    }
}
