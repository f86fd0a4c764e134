package io.spawnwatch.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.ConnectRecord;
import io.spawnwatch.event.ProcessDescriptor;
import io.spawnwatch.event.ProcessRecord;
import io.spawnwatch.event.RecordDescriptor;
import io.spawnwatch.recognition.ProcessClock;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bitmaps in front of the lineage map and the web-uid set, with the real object in the real kernel: whoever
 * adds a key sets its bit (user space for the roots and uids it adds, the fork hook for children), the exit hook
 * clears it, and a bit that is set for another key (uids equal modulo the bitmap's size) only makes the kernel ask
 * the hash, which says no. Observed through TCP connects to 127.0.0.1:1 (refused; the cgroup connect hook runs
 * before the kernel tries).
 */
@Tag("kernel")
class FilterBitmapKernelTest {
    /** A subshell (a fork) connects, then the script itself. */
    private static final String CONNECT_TWICE = "read -r _; (echo > /dev/tcp/127.0.0.1/1); echo > /dev/tcp/127.0.0.1/1;"
            + " read -r _";
    /** The script itself connects, forking nothing: a web uid's fork would make it a root. */
    private static final String CONNECT_ONCE = "read -r _; echo > /dev/tcp/127.0.0.1/1; read -r _";
    private static final long WEB_UID = 4242;
    /** Shares web_uid_bits' bit with WEB_UID: the bitmap has 65536 bits. */
    private static final long COLLIDING_UID = WEB_UID + 65536;

    @Test
    void shouldFollowARootAddedByUserSpaceAndItsChildAndForgetThemAtExit() throws Exception {
        try (KernelRecorder kernel = KernelRecorder.open()) {
            Process root = bash(List.of("bash", "-c", CONNECT_TWICE));
            Process other = bash(List.of("bash", "-c", CONNECT_TWICE));
            try {
                int rootPid = (int) root.pid();
                int otherPid = (int) other.pid();
                awaitExecd(rootPid);
                awaitExecd(otherPid);
                FilterBitmap bits = kernel.probes().lineageBits();
                assertFalse(bits.mayContain(rootPid), "no bit before the root is added");

                kernel.maps().addRoot(rootPid, new ProcessClock(Path.of("/proc")).startBootNanos(rootPid));
                assertTrue(bits.mayContain(rootPid), "user space sets the root's bit");
                go(root);
                go(other);

                ProcessRecord own = process(kernel.await(connectOf(r -> r.pid() == rootPid), Duration.ofSeconds(10),
                        "the user-space root's own connect"));
                assertEquals(0, own.lineageDepth());
                assertEquals(rootPid, own.lineageRoot());
                assertEquals(ProcessDescriptor.MATCH_LINEAGE | ProcessDescriptor.MATCH_WEB_COMM, own.match());
                ProcessRecord child = process(kernel.await(connectOf(r -> r.ppid() == rootPid), Duration.ofSeconds(10),
                        "the connect of the subshell the root forked"));
                assertEquals(1, child.lineageDepth());
                assertEquals(rootPid, child.lineageRoot());
                assertEquals(ProcessDescriptor.MATCH_LINEAGE | ProcessDescriptor.MATCH_WEB_PARENT, child.match());
                assertFalse(bits.mayContain(child.pid()), "the subshell exited: the exit hook cleared its bit");

                finish(other);
                assertTrue(kernel.drain().stream().noneMatch(connectOf(r -> r.pid() == otherPid || r.ppid() == otherPid)),
                        "a process outside the lineage connects unreported");
                assertFalse(bits.mayContain(otherPid));

                finish(root);
                assertFalse(bits.mayContain(rootPid), "the exit hook cleared the root's bit");
            } finally {
                root.destroyForcibly();
                other.destroyForcibly();
            }
        }
    }

    @Test
    void shouldReportAWebUidOutsideTheLineageButNotAUidThatOnlySharesItsBit() throws Exception {
        // Started before the object is loaded, so that no exec or fork hook ever makes them roots: what
        // reports them (or not) is is_web_uid() at the connect alone.
        Process web = bash(List.of("setpriv", "--reuid=" + WEB_UID, "--regid=" + WEB_UID, "--clear-groups", "bash",
                "-c", CONNECT_ONCE));
        Process colliding = bash(List.of("setpriv", "--reuid=" + COLLIDING_UID, "--regid=" + COLLIDING_UID,
                "--clear-groups", "bash", "-c", CONNECT_ONCE));
        try {
            int webPid = (int) web.pid();
            int collidingPid = (int) colliding.pid();
            awaitExecd(webPid);
            awaitExecd(collidingPid);
            try (KernelRecorder kernel = KernelRecorder.open()) {
                kernel.maps().addUid(WEB_UID);
                assertTrue(kernel.probes().webUidBits().mayContain(COLLIDING_UID % 65536),
                        "the test needs the colliding uid's bit set");
                go(web);
                go(colliding);

                ProcessRecord own = process(kernel.await(connectOf(r -> r.pid() == webPid), Duration.ofSeconds(10),
                        "the web uid's connect"));
                assertEquals(ProcessDescriptor.MATCH_WEB_USER, own.match());
                assertEquals(0, own.lineageRoot());
                assertEquals(WEB_UID, own.uid());

                finish(colliding);
                assertTrue(kernel.drain().stream().noneMatch(connectOf(r -> r.pid() == collidingPid
                        || r.ppid() == collidingPid)), "uid " + COLLIDING_UID + " is not a web uid");
                finish(web);
            }
        } finally {
            web.destroyForcibly();
            colliding.destroyForcibly();
        }
    }

    @Test
    void shouldClearAUidBitOnlyWhenNoRemainingUidSharesIt() throws Exception {
        KernelTestSupport.requireKernel();
        try (KernelProbes probes = KernelProbes.open(new KernelProbes.Options(1 << 16, 1024, 0))) {
            FilterMaps maps = new FilterMaps(probes);
            FilterBitmap bits = probes.webUidBits();
            assertEquals(65536, bits.bits(), "as SW_UID_FILTER_BITS in bpf/spawnwatch.bpf.c");
            maps.addUid(WEB_UID);
            maps.addUid(COLLIDING_UID);

            assertTrue(maps.removeUid(WEB_UID));
            assertTrue(bits.mayContain(WEB_UID), "uid " + COLLIDING_UID + " still needs the bit");
            assertTrue(maps.removeUid(COLLIDING_UID));
            assertFalse(bits.mayContain(WEB_UID));
            assertFalse(maps.removeUid(COLLIDING_UID));
        }
    }

    @Test
    void shouldSizeTheLineageBitmapFromPidMax() throws Exception {
        KernelTestSupport.requireKernel();
        try (KernelProbes probes = KernelProbes.open(new KernelProbes.Options(1 << 16, 1024, 0))) {
            // Read by cat(1), not Java: a sysctl file read a byte first says "3" for 32768.
            Process cat = new ProcessBuilder("cat", KernelProbes.PID_MAX.toString()).start();
            long pidMax = Long.parseLong(new String(cat.getInputStream().readAllBytes()).strip());
            assertTrue(pidMax >= 301, "pid_max=" + pidMax + ": the kernel's minimum is 301 (RESERVED_PIDS + 1)");
            assertEquals(FilterBitmap.wordsFor(pidMax), probes.map("lineage_bits").maxEntries());
            assertEquals(FilterBitmap.wordsFor(pidMax) * 64L, probes.lineageBits().bits());
        }
    }

    private static Process bash(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Waits until the process runs bash (setpriv has exec'd it), so that no later exec can make it a root. */
    private static void awaitExecd(int pid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.readString(Path.of("/proc", Integer.toString(pid), "comm")).strip().equals("bash")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pid " + pid + " never became bash");
            }
            Thread.sleep(10);
        }
    }

    /** The first `read` returns: the script connects. */
    private static void go(Process p) throws IOException {
        OutputStream in = p.getOutputStream();
        in.write('\n');
        in.flush();
    }

    /** The second `read` returns at end of input: the script ends after its connects. */
    private static void finish(Process p) throws Exception {
        p.getOutputStream().close();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "bash " + p.pid() + " did not end");
    }

    private static Predicate<MemorySegment> connectOf(Predicate<ProcessRecord> who) {
        return r -> {
            ProcessRecord p = process(r);
            return p.type() == RecordDescriptor.TYPE_CONNECT && new ConnectRecord().wrap(r, 0).destinationPort() == 1
                    && who.test(p);
        };
    }

    private static ProcessRecord process(MemorySegment r) {
        return new ProcessRecord().wrap(r, 0);
    }
}
