package io.spawnwatch.kernel;

import io.spawnwatch.error.BpfException;
import io.spawnwatch.error.HostSetupException;
import io.spawnwatch.libbpf.BpfLink;
import io.spawnwatch.libbpf.BpfMap;
import io.spawnwatch.libbpf.BpfObject;
import io.spawnwatch.libbpf.BpfProgram;
import io.spawnwatch.sys.NativeException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * PID_MAX_LIMIT on 64-bit kernels (include/linux/threads.h): the most /proc/sys/kernel/pid_max can be, used
     * to size the lineage bitmap when pid_max cannot be read (512 KiB).
     */
    static final long PID_MAX_LIMIT = 4L * 1024 * 1024;
    static final Path PID_MAX = Path.of("/proc/sys/kernel/pid_max");

    private final BpfObject object;
    private final Arena bitmapArena;
    private final FilterBitmap lineageBits;
    private final FilterBitmap webUidBits;
    private final List<BpfLink> links;
    private final List<HookStatus> hooks;
    private final String connectHook;
    private final String listenHook;
    private final long loadNanos;

    /** tp_roles bits (enum sw_tp_role): which transitions the tracepoint program reports. */
    public static final int TP_CONNECT = 1;
    public static final int TP_LISTEN = 1 << 1;
    private static final String TRACEPOINT = "tracepoint/sock/inet_sock_set_state";

    private KernelProbes(BpfObject object, Arena bitmapArena, List<BpfLink> links, List<HookStatus> hooks,
            String connectHook, String listenHook, long loadNanos) throws BpfException {
        this.object = object;
        this.bitmapArena = bitmapArena;
        try {
            this.lineageBits = FilterBitmap.map(bitmapArena, object.map("lineage_bits"));
            this.webUidBits = FilterBitmap.map(bitmapArena, object.map("web_uid_bits"));
        } catch (NativeException e) {
            bitmapArena.close();
            throw new BpfException(e.getMessage(), e.errno());
        }
        this.links = links;
        this.hooks = hooks;
        this.connectHook = connectHook;
        this.listenHook = listenHook;
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
            String listenHook = null;
            java.util.Set<String> attached = new java.util.HashSet<>();
            for (HookChains.Choice choice : choices) {
                hooks.addAll(choice.losers());
                HookChains.Candidate w = choice.winner();
                if (attached.add(w.program())) { // one link for a program two chains share
                    links.add(HookChains.attach(object, w.program(), w)); // its twin attached a moment ago
                }
                if (w.equals(HookChains.CGROUP_CONNECT)) {
                    VisibilityHooks.attachCgroup(object, List.of(VisibilityHooks.CGROUP_CONNECT6), links);
                }
                hooks.add(HookStatus.attached(choice.chain().probe(), w.program(), w.hook()));
                if (choice.chain() == HookChains.CONNECT) {
                    connectHook = w.hook();
                } else if (choice.chain() == HookChains.LISTEN) {
                    listenHook = w.hook();
                }
            }
            VisibilityHooks.attach(object, hooks, links, !fileWinner.equals(HookChains.FILE.candidates().getFirst()),
                    connectWinner.equals(HookChains.CGROUP_CONNECT));
            setTracepointRoles(object, connectHook, listenHook);
            KernelProbes probes = new KernelProbes(object, Arena.ofShared(), links, List.copyOf(hooks), connectHook,
                    listenHook, System.nanoTime() - start);
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

    /** Narrows the tracepoint program to the probes it won, so that nothing is reported twice. */
    private static void setTracepointRoles(BpfObject object, String connectHook, String listenHook)
            throws BpfException {
        int roles = (TRACEPOINT.equals(connectHook) ? TP_CONNECT : 0) | (TRACEPOINT.equals(listenHook) ? TP_LISTEN : 0);
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            object.map(".data.roles").update(arena.allocateFrom(ValueLayout.JAVA_INT, 0),
                    arena.allocateFrom(ValueLayout.JAVA_INT, roles), BpfMap.ANY);
        }
    }

    private static BpfObject openConfigured(byte[] elf, Options options) throws BpfException {
        BpfObject object = BpfObject.openMemory(elf, "spawnwatch.bpf.o");
        try {
            object.map("events").setMaxEntries(options.ringBufferBytes());
            object.map("lineage").setMaxEntries(options.lineageEntries());
            object.map("lineage_bits").setMaxEntries(FilterBitmap.wordsFor(pidMax(PID_MAX)));
            setSensorTgid(object.map(".rodata.config"), options.sensorTgid());
            return object;
        } catch (BpfException | RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /**
     * The kernel's pid_max, the bound of every tgid the lineage bitmap needs a bit for; PID_MAX_LIMIT when the
     * file cannot be read or holds no number (a pid_max raised after load only costs the pids above the old one
     * a hash lookup: the kernel asks the hash for tgids past the bitmap).
     */
    static long pidMax(Path file) {
        // One read: a sysctl file answers a read at a non-zero offset with EOF, so Files.readString (which
        // reads procfs' zero-sized files a byte first) would see "3" of "32768".
        try (InputStream in = Files.newInputStream(file)) {
            String text = new String(in.readNBytes(32), java.nio.charset.StandardCharsets.US_ASCII).strip();
            long value = Long.parseLong(text);
            if (value > 0 && value <= PID_MAX_LIMIT) {
                return value;
            }
            LOG.log(System.Logger.Level.WARNING, "{0}: pid_max={1}: expected 1 to {2}; sizing the lineage bitmap"
                    + " for {2}", file, text, Long.toString(PID_MAX_LIMIT));
        } catch (IOException | NumberFormatException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: cannot read pid_max ({1}); sizing the lineage bitmap for {2}",
                    file, e.getMessage(), Long.toString(PID_MAX_LIMIT));
        }
        return PID_MAX_LIMIT;
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

    /** The kernel's lineage_bits: a bit per tgid that may be in the lineage map. */
    public FilterBitmap lineageBits() {
        return lineageBits;
    }

    /** The kernel's web_uid_bits: a bit per (uid mod its size) that may be in web_uids. */
    public FilterBitmap webUidBits() {
        return webUidBits;
    }

    /** One entry per hook tried, in order. */
    public List<HookStatus> hooks() {
        return Collections.unmodifiableList(hooks);
    }

    /** The connect hook in use, e.g. tracepoint/sock/inet_sock_set_state. */
    public String connectHook() {
        return connectHook;
    }

    /** The listen hook in use, e.g. tracepoint/sock/inet_sock_set_state. */
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
        bitmapArena.close();
        object.close();
    }
}
