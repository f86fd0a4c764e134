package io.spawnwatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.kernel.FilterMaps;
import io.spawnwatch.kernel.KernelCounter;
import io.spawnwatch.kernel.KernelCounters;
import io.spawnwatch.kernel.KernelProbes;
import io.spawnwatch.kernel.KernelTestSupport;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A ring of one page holds a single exec record (2688 bytes with its ring
 * header). With nobody reading, every further exec must be counted as a drop,
 * never lost silently.
 */
@Tag("kernel")
class DropCounterTest {

    @Test
    void shouldCountEveryExecThatDoesNotFitInAFullRing() throws Exception {
        KernelTestSupport.requireKernel();
        try (KernelProbes probes = KernelProbes.open(new KernelProbes.Options(4096, 1024, 0));
                FakeWebServer nginx = new FakeWebServer("nginx")) {
            new FilterMaps(probes).addName("nginx");
            KernelCounters counters = new KernelCounters(probes);
            KernelCounters.Snapshot before = counters.read();

            // nginx itself, then five children: six execs, room for one record. '; true' keeps every
            // /bin/true a separate child exec, so the count is exact.
            nginx.run("/bin/true; /bin/true; /bin/true; /bin/true; /bin/true; true");

            KernelCounters.Snapshot after = counters.read();
            long sent = after.get(KernelCounter.EXEC_SENT) - before.get(KernelCounter.EXEC_SENT);
            long dropped = after.get(KernelCounter.DROP_EXEC_RINGBUF_FULL)
                    - before.get(KernelCounter.DROP_EXEC_RINGBUF_FULL);
            assertEquals(1, sent, "only the first exec fits: " + after);
            assertTrue(dropped >= 5, "the other five are counted as drops: " + after);
            assertEquals(dropped, after.drops() - before.drops());
        }
    }
}
