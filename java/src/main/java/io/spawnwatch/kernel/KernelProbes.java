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

    /** The connect fallback chain, in the order it is tried. */
    private static final List<Candidate> CONNECT_CHAIN = List.of(
            new Candidate("fentry_tcp_connect", "fentry/tcp_connect"),
            new Candidate("kprobe_tcp_connect", "kprobe/tcp_connect"),
            new Candidate("tp_inet_sock_set_state", "tracepoint/sock/inet_sock_set_state"));

    /** The listen fallback chain: the tracepoint is the one connect may share. */
    private static final List<Candidate> LISTEN_CHAIN = List.of(
            new Candidate("fentry_inet_csk_listen_start", "fentry/inet_csk_listen_start"),
            new Candidate("tp_inet_sock_set_state", "tracepoint/sock/inet_sock_set_state"));

    /** tp_roles bits (enum sw_tp_role): which transitions the tracepoint program reports. */
    public static final int TP_CONNECT = 1;
    public static final int TP_LISTEN = 1 << 1;

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
    private final String listenHook;
    private final long loadNanos;

    private KernelProbes(BpfObject object, List<BpfLink> links, List<HookStatus> hooks, String connectHook,
            String listenHook, long loadNanos) {
        this.object = object;
        this.links = links;
        this.hooks = hooks;
        this.connectHook = connectHook;
        this.listenHook = listenHook;
        this.loadNanos = loadNanos;
    }

    /** Checks the host, loads the object and attaches every hook. */
    public static KernelProbes open(Options options) throws BpfException, HostSetupException {
        HostChecks.verify();
        byte[] elf = readObject();
        long start = System.nanoTime();
        List<HookStatus> hooks = new ArrayList<>();

        // fentry makes the whole object fail to load where trampolines are
        // missing, so the fentry programs are tried first, without their
        // fallbacks; on failure the object is opened again without them.
        BpfObject object = null;
        try {
            object = openConfigured(elf, options, true);
            object.load();
        } catch (BpfException e) {
            if (object != null) {
                object.close();
            }
            object = null;
            String why = "load failed: " + reason(e, "no BPF trampolines on this kernel");
            Candidate connect = CONNECT_CHAIN.get(0);
            Candidate listen = LISTEN_CHAIN.get(0);
            hooks.add(HookStatus.failed("connect", connect.program(), connect.hook(), why));
            hooks.add(HookStatus.failed("listen", listen.program(), listen.hook(), why));
        }
        if (object == null) {
            object = openConfigured(elf, options, false);
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
            String listenHook = attachListen(object, hooks, links, connectHook);
            setTracepointRoles(object, connectHook, listenHook);
            KernelProbes probes = new KernelProbes(object, links, List.copyOf(hooks), connectHook, listenHook,
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
            try {
                links.add(object.program(c.program()).attach());
                hooks.add(HookStatus.attached("connect", c.program(), c.hook()));
                return c.hook();
            } catch (BpfException e) {
                hooks.add(HookStatus.failed("connect", c.program(), c.hook(), "attach failed: "
                        + reason(e, c.hook().startsWith("kprobe") ? "no kprobe support (CONFIG_KPROBES)"
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

    /**
     * Attaches the first listen hook that works. The tracepoint program is the
     * connect fallback's too: when connect already attached it, listen shares
     * that link. Returns the hook in use, or null (listens then go unseen;
     * status says why).
     */
    private static String attachListen(BpfObject object, List<HookStatus> hooks, List<BpfLink> links,
            String connectHook) {
        boolean fentryLoaded = hooks.stream().noneMatch(h -> h.program().equals("fentry_inet_csk_listen_start"));
        for (Candidate c : LISTEN_CHAIN) {
            if (c.program().equals("fentry_inet_csk_listen_start") && !fentryLoaded) {
                continue;
            }
            if (c.hook().equals(connectHook)) {
                hooks.add(HookStatus.attached("listen", c.program(), c.hook()));
                return c.hook();
            }
            try {
                links.add(object.program(c.program()).attach());
                hooks.add(HookStatus.attached("listen", c.program(), c.hook()));
                return c.hook();
            } catch (BpfException e) {
                hooks.add(HookStatus.failed("listen", c.program(), c.hook(), "attach failed: "
                        + reason(e, "tracefs not mounted or no such tracepoint")));
            }
        }
        LOG.log(System.Logger.Level.WARNING, "no TCP listen hook attached: servers are not recognised by listening");
        return null;
    }

    /** Narrows the tracepoint program to the probes it won, so nothing is reported twice. */
    private static void setTracepointRoles(BpfObject object, String connectHook, String listenHook)
            throws BpfException {
        String tp = "tracepoint/sock/inet_sock_set_state";
        int roles = (tp.equals(connectHook) ? TP_CONNECT : 0) | (tp.equals(listenHook) ? TP_LISTEN : 0);
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            object.map(".data.roles").update(arena.allocateFrom(ValueLayout.JAVA_INT, 0),
                    arena.allocateFrom(ValueLayout.JAVA_INT, roles), io.spawnwatch.libbpf.BpfMap.ANY);
        }
    }

    private static BpfObject openConfigured(byte[] elf, Options options, boolean withFentry)
            throws BpfException {
        BpfObject object = BpfObject.openMemory(elf, "spawnwatch.bpf.o");
        try {
            // With fentry: only the fentry programs among the candidates. Without: the others.
            for (Candidate c : CONNECT_CHAIN) {
                object.program(c.program()).setAutoload(withFentry == c.hook().startsWith("fentry/"));
            }
            object.program("fentry_inet_csk_listen_start").setAutoload(withFentry);
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

    /** The listen hook in use, or null when none attached. */
    public String listenHook() {
        return listenHook;
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
