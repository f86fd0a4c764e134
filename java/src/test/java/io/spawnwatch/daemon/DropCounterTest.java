package io.spawnwatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.kernel.FilterMaps;
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
            Map<String, Long> before = counters.read();

            // nginx itself, then five children: six execs, room for one record.
            nginx.run("/bin/true; /bin/true; /bin/true; /bin/true; /bin/true; true");

            Map<String, Long> after = counters.read();
            long sent = after.get("exec_sent") - before.get("exec_sent");
            long dropped = after.get("drop_exec_ringbuf_full") - before.get("drop_exec_ringbuf_full");
            assertEquals(1, sent, "only the first exec fits: " + after);
            assertTrue(dropped >= 5, "the other five are counted as drops: " + after);
            assertEquals(dropped, KernelCounters.drops(after) - KernelCounters.drops(before));
        }
    }
}
