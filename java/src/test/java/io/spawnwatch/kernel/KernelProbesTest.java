package io.spawnwatch.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Loads the real BPF object into the running kernel. */
@Tag("kernel")
class KernelProbesTest {

    @Test
    void shouldAttachCoreHooksAndReportTheConnectFallbackChain() throws Exception {
        KernelTestSupport.requireKernel();
        try (KernelProbes probes = KernelProbes.open(new KernelProbes.Options(1 << 16, 1024, 0))) {
            List<HookStatus> hooks = probes.hooks();
            for (String program : List.of("handle_fork", "handle_exit", "handle_exec")) {
                assertTrue(hooks.stream().anyMatch(h -> h.program().equals(program) && h.attached()),
                        program + " attached: " + hooks);
            }
            HookStatus chosen = hooks.stream().filter(h -> h.probe().equals("connect") && h.attached())
                    .findFirst().orElseThrow();
            assertEquals(chosen.hook(), probes.connectHook());
            // Everything tried before the chosen one failed, with a reason.
            for (HookStatus h : hooks) {
                if (h.probe().equals("connect") && !h.attached()) {
                    assertFalse(h.reason().isBlank(), h.toString());
                }
            }
            // Listen: the first hook of its chain that works; the tracepoint is shared with connect.
            HookStatus listen = hooks.stream().filter(h -> h.probe().equals("listen") && h.attached())
                    .findFirst().orElseThrow();
            assertEquals(listen.hook(), probes.listenHook());
            for (HookStatus h : hooks) {
                if (h.probe().equals("listen") && !h.attached()) {
                    assertFalse(h.reason().isBlank(), h.toString());
                }
            }
            assertEquals(1 << 16, probes.map("events").maxEntries());
        }
    }

    /**
     * This machine (design.md): no trampolines, a cgroup v2 hierarchy; the cgroup connect hook is picked by
     * probing, and the object loaded once without the candidates after it.
     */
    @Test
    void shouldProbeTheConnectChainAndLoadOnlyTheWinner() throws Exception {
        KernelTestSupport.requireKernel();
        try (KernelProbes probes = KernelProbes.open(new KernelProbes.Options(1 << 16, 1024, 0))) {
            List<String> connect = tried(probes, "connect");
            assertEquals(List.of(
                    "fentry/tcp_connect: load failed: EPERM (Operation not permitted), no BPF trampolines on this"
                            + " kernel",
                    "cgroup/connect4: attached"), connect);
            List<String> file = tried(probes, "file");
            assertEquals(List.of(
                    "fexit/do_filp_open: load failed: EPERM (Operation not permitted), no BPF trampolines on this"
                            + " kernel",
                    "tracepoint/syscalls/sys_exit_openat: attached"), file);
            // The losers were switched off before the one load: the kernel has no program of theirs.
            Process p = new ProcessBuilder("bpftool", "prog", "show").redirectErrorStream(true).start();
            String progs = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            assertTrue(progs.contains("cg_connect4"), progs);
            assertTrue(progs.contains("tp_exit_openat"), progs);
            // listen(2)'s exit won the listen chain: inet_sock_set_state, which runs on every TCP state change
            // of the host, lost both chains and is not loaded.
            assertEquals("tracepoint/syscalls/sys_exit_listen", probes.listenHook());
            List<String> listen = tried(probes, "listen");
            assertEquals(List.of(
                    "fentry/inet_csk_listen_start: load failed: EPERM (Operation not permitted), no BPF trampolines"
                            + " on this kernel",
                    "tracepoint/syscalls/sys_exit_listen: attached"), listen);
            assertTrue(progs.contains("tp_exit_listen"), progs);
            assertFalse(progs.contains("kprobe_tcp_conn"), progs);
            assertFalse(progs.contains("fexit_do_filp_"), progs);
            assertFalse(progs.contains("probe_"), "no probe twin left loaded: " + progs);
        }
    }

    /** Each hook tried for a probe, in order: "hook: attached" or "hook: why not". */
    private static List<String> tried(KernelProbes probes, String probe) {
        return probes.hooks().stream().filter(h -> h.probe().equals(probe))
                .map(h -> h.hook() + ": " + (h.attached() ? "attached" : h.reason())).toList();
    }

    @Test
    void shouldRoundTripWebServerNamesAndUidsThroughTheKernelMaps() throws Exception {
        KernelTestSupport.requireKernel();
        try (KernelProbes probes = KernelProbes.open(new KernelProbes.Options(1 << 16, 1024, 0))) {
            FilterMaps maps = new FilterMaps(probes);
            maps.addName("nginx");
            maps.addName("php-fpm*");
            maps.addUid(33);
            assertEquals(List.of("nginx", "php-fpm*"), maps.names());
            assertEquals(List.of(33L), maps.uids());
            assertTrue(maps.removeName("nginx"));
            assertFalse(maps.removeName("nginx"));
            assertEquals(List.of("php-fpm*"), maps.names());
            KernelCounters.Snapshot counters = new KernelCounters(probes).read();
            assertEquals(0, counters.get(KernelCounter.LINEAGE_ADD_FAILED), counters.toString());
        }
    }
}
