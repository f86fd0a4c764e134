package io.spawnwatch.kernel;

import io.spawnwatch.error.BpfException;
import io.spawnwatch.error.HostSetupException;
import io.spawnwatch.libbpf.BpfLink;
import io.spawnwatch.libbpf.BpfMap;
import io.spawnwatch.libbpf.BpfObject;
import io.spawnwatch.libbpf.BpfProgram;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Loads the embedded CO-RE object, sizes and configures it, and attaches its
 * programs. Hook points with fallbacks (the connect chain) are decided first
 * by probing ({@link HookChains}); the object is then loaded once with only
 * the winners on, and {@link #hooks()} says what happened to each candidate.
 */
public final class KernelProbes implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KernelProbes.class.getName());
    static final String OBJECT_RESOURCE = "/io/spawnwatch/bpf/spawnwatch.bpf.o";
    static final String PROBES_RESOURCE = "/io/spawnwatch/bpf/probes.bpf.o";

    /** The hooks that must attach, or the sensor cannot work. */
    private static final List<Candidate> CORE_HOOKS = List.of(
            new Candidate("handle_fork", "tp_btf/sched_process_fork"),
            new Candidate("handle_exit", "tp_btf/sched_process_exit"),
            new Candidate("handle_exec", "tp_btf/sched_process_exec"));

    private record Candidate(String program, String hook) {}

    /** How the object is sized and configured before load. */
    public record Options(int ringBufferBytes, int lineageEntries, int sensorTgid) {
        public Options {
            if (Integer.bitCount(ringBufferBytes) != 1 || ringBufferBytes < 4096) {
                throw new IllegalArgumentException(
                        "ringBufferBytes=" + ringBufferBytes + ": expected a power of two of at least 4096");
            }
        }
    }

    private final BpfObject object;
    private final List<BpfLink> links;
    private final List<HookStatus> hooks;
    private final String connectHook;
    private final long loadNanos;

    private KernelProbes(BpfObject object, List<BpfLink> links, List<HookStatus> hooks, String connectHook,
            long loadNanos) {
        this.object = object;
        this.links = links;
        this.hooks = hooks;
        this.connectHook = connectHook;
        this.loadNanos = loadNanos;
    }

    /** Checks the host, probes the fallback chains, loads the object once and attaches every hook. */
    public static KernelProbes open(Options options) throws BpfException, HostSetupException {
        HostChecks.verify();
        byte[] elf = readObject(OBJECT_RESOURCE);
        byte[] probesElf = readObject(PROBES_RESOURCE);
        long start = System.nanoTime();
        List<HookChains.Choice> choices = new ArrayList<>();
        for (HookChains.Chain chain : HookChains.ALL) {
            HookChains.Choice choice = HookChains.choose(probesElf, chain);
            if (choice.winner() == null) {
                StringBuilder why = new StringBuilder("no " + chain.probe() + " hook can attach here; tried:");
                for (HookStatus h : choice.losers()) {
                    why.append("\n  ").append(h.hook()).append(": ").append(h.reason());
                }
                throw new BpfException(why.toString(), 0);
            }
            choices.add(choice);
        }

        HookChains.Candidate connectWinner = choices.get(HookChains.ALL.indexOf(HookChains.CONNECT)).winner();
        HookChains.Candidate fileWinner = choices.get(HookChains.ALL.indexOf(HookChains.FILE)).winner();
        BpfObject object = openConfigured(elf, options);
        try {
            HookChains.switchOffLosers(object, choices);
            // The cgroup connect hooks also carry UDP: they stay loaded unless they could not attach here,
            // and report TCP only when they won the connect chain.
            boolean cgroupLost = !connectWinner.equals(HookChains.CGROUP_CONNECT)
                    && choices.getFirst().losers().stream().anyMatch(h -> h.program().equals(
                            HookChains.CGROUP_CONNECT.program()) && !h.reason().startsWith("skipped"));
            object.program(HookChains.CGROUP_CONNECT.program()).setAutoload(!cgroupLost);
            setCgroupConnectTcp(object.map(".rodata.vis"), connectWinner.equals(HookChains.CGROUP_CONNECT));
            object.load();
        } catch (BpfException | RuntimeException e) {
            object.close();
            throw e;
        }

        List<HookStatus> hooks = new ArrayList<>();
        List<BpfLink> links = new ArrayList<>();
        try {
            for (Candidate c : CORE_HOOKS) {
                links.add(object.program(c.program()).attach());
                hooks.add(HookStatus.attached(probeOf(c), c.program(), c.hook()));
            }
            String connectHook = null;
            for (HookChains.Choice choice : choices) {
                hooks.addAll(choice.losers());
                HookChains.Candidate w = choice.winner();
                links.add(HookChains.attach(object, w.program(), w)); // its twin attached a moment ago
                if (w.equals(HookChains.CGROUP_CONNECT)) {
                    VisibilityHooks.attachCgroup(object, List.of(VisibilityHooks.CGROUP_CONNECT6), links);
                }
                hooks.add(HookStatus.attached(choice.chain().probe(), w.program(), w.hook()));
                if (choice.chain() == HookChains.CONNECT) {
                    connectHook = w.hook();
                }
            }
            VisibilityHooks.attach(object, hooks, links, !fileWinner.equals(HookChains.FILE.candidates().getFirst()),
                    connectWinner.equals(HookChains.CGROUP_CONNECT));
            KernelProbes probes = new KernelProbes(object, links, List.copyOf(hooks), connectHook,
                    System.nanoTime() - start);
            for (HookStatus h : hooks) {
                LOG.log(System.Logger.Level.DEBUG, "hook {0} {1}: {2}", h.probe(), h.hook(),
                        h.attached() ? "attached" : h.reason());
            }
            return probes;
        } catch (BpfException | RuntimeException e) {
            links.forEach(BpfLink::close);
            object.close();
            throw e;
        }
    }

    private static BpfObject openConfigured(byte[] elf, Options options) throws BpfException {
        BpfObject object = BpfObject.openMemory(elf, "spawnwatch.bpf.o");
        try {
            object.map("events").setMaxEntries(options.ringBufferBytes());
            object.map("lineage").setMaxEntries(options.lineageEntries());
            setSensorTgid(object.map(".rodata.config"), options.sensorTgid());
            return object;
        } catch (BpfException | RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /** .rodata.config holds one tunable, {@code const volatile __u32 sensor_tgid}. */
    private static void setSensorTgid(BpfMap rodata, int tgid) throws BpfException {
        MemorySegment data = rodata.initialValue();
        if (data.byteSize() != 4) {
            throw new BpfException("spawnwatch: .rodata.config of the BPF object is " + data.byteSize()
                    + " bytes, expected 4 (sensor_tgid only): object and loader disagree", 0);
        }
        data.set(ValueLayout.JAVA_INT_UNALIGNED, 0, tgid);
    }

    /** .rodata.vis holds {@code const volatile __u32 cgroup_connect_tcp}. */
    private static void setCgroupConnectTcp(BpfMap rodata, boolean tcp) throws BpfException {
        MemorySegment data = rodata.initialValue();
        if (data.byteSize() != 4) {
            throw new BpfException("spawnwatch: .rodata.vis of the BPF object is " + data.byteSize()
                    + " bytes, expected 4 (cgroup_connect_tcp only): object and loader disagree", 0);
        }
        data.set(ValueLayout.JAVA_INT_UNALIGNED, 0, tcp ? 1 : 0);
    }

    private static byte[] readObject(String resource) throws BpfException {
        try (InputStream in = KernelProbes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new BpfException("spawnwatch: the BPF object " + resource
                        + " is not in the jar: build with `make`, which compiles bpf/ before packaging", 0);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BpfException("spawnwatch: cannot read " + resource + ": " + e.getMessage(), 0);
        }
    }

    private static String probeOf(Candidate c) {
        return c.program().substring("handle_".length());
    }

    /** "EPERM (Operation not permitted): likely cause" from a libbpf failure. */
    static String reason(BpfException e, String likelyCause) {
        if (e.errno() == 0) {
            return firstLine(e.getMessage());
        }
        String errno = io.spawnwatch.sys.Errno.describe(e.errno());
        boolean expected = e.errno() == io.spawnwatch.sys.Errno.EPERM || e.errno() == io.spawnwatch.sys.Errno.ENOENT
                || e.errno() == io.spawnwatch.sys.Errno.EOPNOTSUPP || e.errno() == io.spawnwatch.sys.Errno.ENOTSUPP;
        return expected ? errno + ", " + likelyCause : errno;
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }


    public BpfMap map(String name) throws BpfException {
        return object.map(name);
    }

    /** One entry per hook tried, in order. */
    public List<HookStatus> hooks() {
        return Collections.unmodifiableList(hooks);
    }

    /** The connect hook in use, e.g. tracepoint/sock/inet_sock_set_state. */
    public String connectHook() {
        return connectHook;
    }

    public long loadNanos() {
        return loadNanos;
    }

    /** Detaches every program, then unloads the object. */
    @Override
    public void close() {
        for (BpfLink link : links) {
            link.close();
        }
        object.close();
    }
}
