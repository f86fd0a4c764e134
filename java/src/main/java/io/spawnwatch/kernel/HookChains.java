package io.spawnwatch.kernel;

import io.spawnwatch.error.BpfException;
import io.spawnwatch.libbpf.BpfLink;
import io.spawnwatch.libbpf.BpfObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The hook points with fallbacks, and how one is picked: by trying, not by kernel version (libbpf-tools'
 * {@code fentry_can_attach()} in trace_helpers.c). Each candidate has a twin in bpf/probes.bpf.c, an empty
 * program with the same section named {@code probe_<program>}; the twin is loaded and attached alone, in chain
 * order, and the first that does both wins. The main object is then loaded once, with every other candidate
 * switched off ({@code bpf_program__set_autoload(false)}), so a candidate that loads but cannot attach never
 * costs the real object its fallbacks, and the object is verified once.
 *
 * <p>To add a hook point or a candidate: add its program to bpf/spawnwatch.bpf.c, its twin to
 * bpf/probes.bpf.c, and a {@link Candidate} here (HookChainsTest checks that every twin is listed).
 */
public final class HookChains {
    /**
     * One way to hook a probe point.
     *
     * @param program     the program in spawnwatch.bpf.o; its probe twin is {@code "probe_" + program}
     * @param hook        the kernel hook, as status shows it
     * @param likelyCause what usually stops it on a kernel that refuses it, said beside the errno
     */
    public record Candidate(String program, String hook, String likelyCause) {
        String probeProgram() {
            return "probe_" + program;
        }
    }

    /** A probe point and its candidates, best first. */
    public record Chain(String probe, List<Candidate> candidates) {}

    /** The chain's winner (null when none works) and why each candidate before it lost. */
    public record Choice(Chain chain, Candidate winner, List<HookStatus> losers) {}

    /**
     * The cgroup socket-address hooks on the root of the cgroup v2 hierarchy: once per connect() (before the
     * kernel picks the source address), no kprobes needed; cg_connect6 attaches with cg_connect4, and both
     * serve UDP too (VisibilityHooks).
     */
    public static final Candidate CGROUP_CONNECT = new Candidate("cg_connect4", "cgroup/connect4",
            "no cgroup v2 hierarchy mounted");

    /**
     * TCP connect: fentry (cheapest, needs BPF trampolines), the cgroup connect hooks (one run per connect()),
     * kprobe (needs CONFIG_KPROBES), then the stable tracepoint (a transition to SYN_SENT; fires on every state
     * change, so it costs the most).
     */
    public static final Chain CONNECT = new Chain("connect", List.of(
            new Candidate("fentry_tcp_connect", "fentry/tcp_connect", "no BPF trampolines on this kernel"),
            CGROUP_CONNECT,
            new Candidate("kprobe_tcp_connect", "kprobe/tcp_connect", "no kprobe support (CONFIG_KPROBES)"),
            new Candidate("tp_inet_sock_set_state", "tracepoint/sock/inet_sock_set_state",
                    "tracefs not mounted or no such tracepoint")));

    /**
     * TCP listen: fentry, then listen(2)'s exit tracepoint (once per listen() call), then the same stable
     * tracepoint as connect (a transition to TCP_LISTEN, in listen(); it runs on every TCP state change of the
     * host, six times per loopback connection, so it is the last resort). When both chains pick that tracepoint,
     * one program serves both; its tp_roles say which transitions it reports, so that a winner elsewhere is never
     * doubled.
     */
    public static final Chain LISTEN = new Chain("listen", List.of(
            new Candidate("fentry_inet_csk_listen_start", "fentry/inet_csk_listen_start",
                    "no BPF trampolines on this kernel"),
            new Candidate("tp_exit_listen", "tracepoint/syscalls/sys_exit_listen",
                    "tracefs not mounted or no such tracepoint"),
            new Candidate("tp_inet_sock_set_state", "tracepoint/sock/inet_sock_set_state",
                    "tracefs not mounted or no such tracepoint")));

    /**
     * File opens of the web lineage: fexit/do_filp_open (one hook for every open, needs BPF trampolines), else
     * the syscall exit tracepoints (sys_exit_openat here; VisibilityHooks adds open, creat and openat2).
     */
    public static final Chain FILE = new Chain("file", List.of(
            new Candidate("fexit_do_filp_open", "fexit/do_filp_open", "no BPF trampolines on this kernel"),
            new Candidate("tp_exit_openat", "tracepoint/syscalls/sys_exit_openat",
                    "tracefs not mounted or no such tracepoint")));

    /**
     * A JVM system property that makes the connect chain pass over the cgroup hooks, so that
     * benchmarks/scripts/visibility_cost.sh can measure the hook after them on the same build (not a
     * configuration key: nothing but a measurement needs it).
     */
    public static final String SKIP_CGROUP_CONNECT = "spawnwatch.bench.skipCgroupConnect";

    /** Every chain, in the order they are probed and attached. */
    public static final List<Chain> ALL = List.of(CONNECT, LISTEN, FILE);

    private HookChains() {}

    /**
     * Probes each candidate of {@code chain} in order with its twin from the probes object ({@code probesElf}),
     * stopping at the first that loads and attaches.
     */
    static Choice choose(byte[] probesElf, Chain chain) throws BpfException {
        List<HookStatus> losers = new ArrayList<>();
        for (Candidate c : chain.candidates()) {
            if (c.equals(CGROUP_CONNECT) && Boolean.getBoolean(SKIP_CGROUP_CONNECT)) {
                losers.add(HookStatus.failed(chain.probe(), c.program(), c.hook(),
                        "skipped: -D" + SKIP_CGROUP_CONNECT + "=true"));
                continue;
            }
            String failure = probe(probesElf, c);
            if (failure == null) {
                return new Choice(chain, c, List.copyOf(losers));
            }
            losers.add(HookStatus.failed(chain.probe(), c.program(), c.hook(), failure));
        }
        return new Choice(chain, null, List.copyOf(losers));
    }

    /** Null when the candidate's twin loads and attaches alone here; else "load failed: ..." or "attach ...". */
    private static String probe(byte[] probesElf, Candidate candidate) throws BpfException {
        try (BpfObject probes = BpfObject.openMemory(probesElf, "probes.bpf.o")) {
            for (Chain chain : ALL) {
                for (Candidate c : chain.candidates()) {
                    probes.program(c.probeProgram()).setAutoload(c.program().equals(candidate.program()));
                }
            }
            try {
                probes.load();
            } catch (BpfException e) {
                return "load failed: " + KernelProbes.reason(e, candidate.likelyCause());
            }
            try (BpfLink link = attach(probes, candidate.probeProgram(), candidate)) {
                return null;
            } catch (BpfException e) {
                return "attach failed: " + KernelProbes.reason(e, candidate.likelyCause());
            }
        }
    }

    /** Attaches a candidate's program: cgroup programs to the cgroup v2 root, the others where their SEC() says. */
    static BpfLink attach(BpfObject object, String program, Candidate candidate) throws BpfException {
        if (candidate.hook().startsWith("cgroup/")) {
            List<BpfLink> links = new ArrayList<>();
            VisibilityHooks.attachCgroup(object, List.of(program), links);
            return links.getFirst();
        }
        return object.program(program).attach();
    }

    /**
     * In the main object: only the chains' winners stay on; the others are never loaded. A program that is a
     * candidate of two chains (the tracepoint) stays on when either picked it.
     */
    static void switchOffLosers(BpfObject object, List<Choice> choices) throws BpfException {
        java.util.Set<String> winners = new java.util.HashSet<>();
        for (Choice choice : choices) {
            winners.add(choice.winner().program());
        }
        for (Choice choice : choices) {
            for (Candidate c : choice.chain().candidates()) {
                object.program(c.program()).setAutoload(winners.contains(c.program()));
            }
        }
    }
}
