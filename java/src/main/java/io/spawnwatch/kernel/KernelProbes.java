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
 * programs. The connect probe is a fallback chain, tried in order: the first
 * that loads and attaches wins, and {@link #hooks()} says what happened to
 * each (fentry needs BPF trampolines, kprobes need CONFIG_KPROBES; the stable
 * tracepoint works everywhere tracefs is mounted).
 */
public final class KernelProbes implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KernelProbes.class.getName());
    static final String OBJECT_RESOURCE = "/io/spawnwatch/bpf/spawnwatch.bpf.o";

    /**
     * The cgroup socket-address hooks on the root cgroup: once per connect()
     * (inet_sock_set_state fires on every state change of every socket), no
     * kprobes needed, and they see UDP too. cg_connect6 attaches with it.
     */
    private static final Candidate CGROUP_CONNECT = new Candidate("cg_connect4", "cgroup/connect4+connect6");

    /**
     * A JVM system property that makes the connect chain pass over the cgroup
     * hooks, so that benchmarks/scripts/visibility_cost.sh can measure the
     * hook that comes after them on the same build (not a configuration key:
     * nothing but a measurement needs it).
     */
    public static final String SKIP_CGROUP_CONNECT = "spawnwatch.bench.skipCgroupConnect";

    /** The connect fallback chain, in the order it is tried. */
    private static final List<Candidate> CONNECT_CHAIN = List.of(
            new Candidate("fentry_tcp_connect", "fentry/tcp_connect"),
            CGROUP_CONNECT,
            new Candidate("kprobe_tcp_connect", "kprobe/tcp_connect"),
            new Candidate("tp_inet_sock_set_state", "tracepoint/sock/inet_sock_set_state"));

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

    /** Checks the host, loads the object and attaches every hook. */
    public static KernelProbes open(Options options) throws BpfException, HostSetupException {
        HostChecks.verify();
        byte[] elf = readObject();
        long start = System.nanoTime();
        List<HookStatus> hooks = new ArrayList<>();

        // fentry makes the whole object fail to load where trampolines are
        // missing, so it is tried first and alone; on failure the object is
        // opened again without it.
        BpfObject object = null;
        Candidate fentry = CONNECT_CHAIN.get(0);
        try {
            object = openConfigured(elf, options, fentry.program());
            object.load();
        } catch (BpfException e) {
            if (object != null) {
                object.close();
            }
            object = null;
            hooks.add(HookStatus.failed("connect", fentry.program(), fentry.hook(),
                    "load failed: " + reason(e, "no BPF trampolines on this kernel")));
        }
        if (object == null) {
            object = openConfigured(elf, options, null);
            try {
                object.load();
            } catch (BpfException e) {
                object.close();
                throw e;
            }
        }

        List<BpfLink> links = new ArrayList<>();
        try {
            for (Candidate c : CORE_HOOKS) {
                links.add(object.program(c.program()).attach());
                hooks.add(HookStatus.attached(probeOf(c), c.program(), c.hook()));
            }
            String connectHook = attachConnect(object, hooks, links);
            boolean trampolines = hooks.stream().noneMatch(h -> h.program().equals("fentry_tcp_connect")
                    && !h.attached() && h.reason().startsWith("load failed"));
            VisibilityHooks.attach(object, hooks, links, trampolines, connectHook.equals(CGROUP_CONNECT.hook()));
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

    private static String attachConnect(BpfObject object, List<HookStatus> hooks, List<BpfLink> links)
            throws BpfException {
        boolean fentryLoaded = hooks.stream().noneMatch(h -> h.program().equals("fentry_tcp_connect"));
        for (Candidate c : CONNECT_CHAIN) {
            if (c.program().equals("fentry_tcp_connect") && !fentryLoaded) {
                continue;
            }
            if (c == CGROUP_CONNECT && Boolean.getBoolean(SKIP_CGROUP_CONNECT)) {
                hooks.add(HookStatus.failed("connect", c.program(), c.hook(),
                        "skipped: -D" + SKIP_CGROUP_CONNECT + "=true"));
                continue;
            }
            try {
                if (c == CGROUP_CONNECT) {
                    VisibilityHooks.attachCgroupConnect(object, links);
                } else {
                    links.add(object.program(c.program()).attach());
                }
                hooks.add(HookStatus.attached("connect", c.program(), c.hook()));
                return c.hook();
            } catch (BpfException e) {
                hooks.add(HookStatus.failed("connect", c.program(), c.hook(), "attach failed: "
                        + reason(e, c.hook().startsWith("kprobe") ? "no kprobe support (CONFIG_KPROBES)"
                                : c == CGROUP_CONNECT ? "no cgroup v2 hierarchy"
                                : "tracefs not mounted or no such tracepoint")));
            }
        }
        StringBuilder why = new StringBuilder("no TCP connect hook attached; tried:");
        for (HookStatus h : hooks) {
            if (h.probe().equals("connect")) {
                why.append("\n  ").append(h.hook()).append(": ").append(h.reason());
            }
        }
        throw new BpfException(why.toString(), 0);
    }

    private static BpfObject openConfigured(byte[] elf, Options options, String fentryProgram)
            throws BpfException {
        BpfObject object = BpfObject.openMemory(elf, "spawnwatch.bpf.o");
        try {
            for (Candidate c : CONNECT_CHAIN) {
                boolean isFentry = c.program().equals("fentry_tcp_connect");
                // With fentry: fentry and the cgroup hooks (which then report UDP only). Without: the others.
                boolean load = fentryProgram != null ? isFentry || c == CGROUP_CONNECT : !isFentry;
                object.program(c.program()).setAutoload(load);
            }
            // The file hook's trampoline twin loads and fails with fentry.
            object.program(VisibilityHooks.FEXIT_OPEN).setAutoload(fentryProgram != null);
            setCgroupConnectTcp(object.map(".rodata.vis"),
                    fentryProgram == null && !Boolean.getBoolean(SKIP_CGROUP_CONNECT));
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

    private static byte[] readObject() throws BpfException {
        try (InputStream in = KernelProbes.class.getResourceAsStream(OBJECT_RESOURCE)) {
            if (in == null) {
                throw new BpfException("spawnwatch: the BPF object " + OBJECT_RESOURCE
                        + " is not in the jar: build with `make`, which compiles bpf/ before packaging", 0);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BpfException("spawnwatch: cannot read " + OBJECT_RESOURCE + ": " + e.getMessage(), 0);
        }
    }

    private static String probeOf(Candidate c) {
        return c.program().substring("handle_".length());
    }

    /** "EPERM (Operation not permitted): likely cause" from a libbpf failure. */
    private static String reason(BpfException e, String likelyCause) {
        if (e.errno() == 0) {
            return firstLine(e.getMessage());
        }
        String errno = io.spawnwatch.libbpf.Errno.describe(e.errno());
        boolean expected = e.errno() == io.spawnwatch.sys.Errno.EPERM || e.errno() == io.spawnwatch.sys.Errno.ENOENT
                || e.errno() == 95 || e.errno() == 524;
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
