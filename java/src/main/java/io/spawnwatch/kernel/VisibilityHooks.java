package io.spawnwatch.kernel;

import io.spawnwatch.error.BpfException;
import io.spawnwatch.libbpf.BpfLink;
import io.spawnwatch.libbpf.BpfObject;
import io.spawnwatch.sys.NativeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Attaches the Visibility II hooks, all for lineage members only: file
 * events, UDP (cgroup socket-address hooks on the root cgroup), DNS queries
 * and privilege changes. None of them but the file chain's is needed for the
 * sensor to run: a hook that does not attach is reported in
 * {@link KernelProbes#hooks()} with the reason, and the rest goes on.
 *
 * <p>File opens follow the same try-in-order idea as connect
 * ({@link HookChains#FILE}): {@code fexit/do_filp_open} where BPF trampolines
 * exist, else the syscall exit tracepoints of openat (the chain), open, creat
 * and openat2 (here). Renames, links and chmod always come from their syscall
 * exit tracepoints.
 */
final class VisibilityHooks {
    /** Opens: the tracepoint group used when fexit/do_filp_open is not loaded. */
    static final List<String> OPEN_TRACEPOINTS = List.of("openat", "open", "creat", "openat2");
    static final List<String> NAMED_TRACEPOINTS = List.of("rename", "renameat", "renameat2", "link", "linkat",
            "symlink", "symlinkat", "chmod", "fchmodat", "fchmodat2", "fchmod");
    static final List<String> DNS_TRACEPOINTS = List.of("sendto", "sendmsg", "sendmmsg");
    static final List<String> PRIVILEGE_CALLS = List.of("setuid", "setreuid", "setresuid", "capset");
    static final List<String> CGROUP_CONNECT = List.of("cg_connect4", "cg_connect6");
    /** Attached with the chain's cg_connect4 when it wins. */
    static final String CGROUP_CONNECT6 = "cg_connect6";
    static final List<String> CGROUP_SENDMSG = List.of("cg_sendmsg4", "cg_sendmsg6");

    private VisibilityHooks() {}

    /**
     * Attaches what the hook chains do not: the other open tracepoints when the file chain chose the
     * tracepoints, rename/link/chmod, UDP, DNS and privilege; one status per probe to hooks, every link to links.
     *
     * @param fileOnTracepoints whether the file chain chose tracepoint/syscalls/sys_exit_openat
     * @param cgroupConnectAttached whether the connect chain attached cg_connect4/6 already
     */
    static void attach(BpfObject object, List<HookStatus> hooks, List<BpfLink> links, boolean fileOnTracepoints,
            boolean cgroupConnectAttached) {
        if (fileOnTracepoints) {
            hooks.add(tracepoints(object, "file-open", "sys_exit_", OPEN_TRACEPOINTS.subList(1,
                    OPEN_TRACEPOINTS.size()), links));
        }
        hooks.add(tracepoints(object, "file-name", "sys_exit_", NAMED_TRACEPOINTS, links));
        hooks.add(udp(object, links, cgroupConnectAttached));
        hooks.add(tracepoints(object, "dns", "sys_enter_", DNS_TRACEPOINTS, links));
        List<String> privilege = new ArrayList<>();
        for (String call : PRIVILEGE_CALLS) {
            privilege.add("enter_" + call);
            privilege.add("exit_" + call);
        }
        hooks.add(tracepoints(object, "privilege", "sys_", privilege, links));
    }

    /** UDP needs the cgroup connect hooks (connected sockets) and sendmsg hooks (sendto with an address). */
    private static HookStatus udp(BpfObject object, List<BpfLink> links, boolean cgroupConnectAttached) {
        String hook = "cgroup/connect4+connect6+sendmsg4+sendmsg6";
        List<String> programs = new ArrayList<>(CGROUP_SENDMSG);
        if (!cgroupConnectAttached) {
            programs.addAll(CGROUP_CONNECT);
        }
        try {
            attachCgroup(object, programs, links);
            return HookStatus.attached("udp", String.join("+", programs), hook);
        } catch (BpfException e) {
            return HookStatus.failed("udp", String.join("+", programs), hook, e.getMessage());
        }
    }

    static void attachCgroup(BpfObject object, List<String> programs, List<BpfLink> links)
            throws BpfException {
        List<BpfLink> made = new ArrayList<>();
        try (CgroupRoot root = CgroupRoot.open()) {
            for (String p : programs) {
                made.add(object.program(p).attachCgroup(root.fd()));
            }
            links.addAll(made);
        } catch (NativeException e) {
            throw new BpfException(e.getMessage(), e.errno());
        } catch (BpfException | RuntimeException e) {
            made.forEach(BpfLink::close);
            throw e;
        }
    }

    /**
     * Attaches every program tp_{prefix}{name} of a group of syscall
     * tracepoints. The group counts as attached when at least the first one
     * is (the others may not exist on every architecture, e.g. open and creat
     * on arm64, or kernel, e.g. fchmodat2 before 6.6); the hook names the ones
     * missing.
     */
    private static HookStatus tracepoints(BpfObject object, String probe, String prefix, List<String> names,
            List<BpfLink> links) {
        List<String> missing = new ArrayList<>();
        String firstFailure = null;
        boolean firstAttached = false;
        for (int i = 0; i < names.size(); i++) {
            String program = "tp_" + prefix.replace("sys_", "") + names.get(i);
            try {
                links.add(object.program(program).attach());
                if (i == 0) {
                    firstAttached = true;
                }
            } catch (BpfException e) {
                missing.add(names.get(i));
                if (firstFailure == null) {
                    firstFailure = e.getMessage();
                }
            }
        }
        String hook = "tracepoint/syscalls/" + prefix + "{" + String.join(",", names) + "}"
                + (missing.isEmpty() || !firstAttached ? "" : " (not on this kernel: " + String.join(",", missing)
                        + ")");
        String program = "tp_" + prefix.replace("sys_", "") + "*";
        return firstAttached ? HookStatus.attached(probe, program, hook)
                : HookStatus.failed(probe, program, hook, "attach failed: " + firstFailure);
    }
}
