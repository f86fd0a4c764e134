package io.spawnwatch.libbpf;

import io.spawnwatch.sys.Errno;

import io.spawnwatch.error.BpfException;
import io.spawnwatch.libbpf.jextract.LibBpf;
import java.lang.foreign.MemorySegment;

/** One program of a {@link BpfObject}; valid while the object is open. */
public final class BpfProgram {
    private final MemorySegment program;
    private final String name;

    BpfProgram(MemorySegment program, String name) {
        this.program = program;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public String sectionName() {
        return LibBpf.bpf_program__section_name(program).reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** Before load: whether libbpf loads this program at all. */
    public void setAutoload(boolean autoload) throws BpfException {
        int err = LibBpf.bpf_program__set_autoload(program, autoload);
        if (err != 0) {
            throw new BpfException("libbpf: set autoload of program " + name + ": " + Errno.describe(err), -err);
        }
    }


    /** Attaches to the hook its SEC() names. */
    public BpfLink attach() throws BpfException {
        ErrnoCalls.Result result = ErrnoCalls.attach(program);
        if (result.failed()) {
            throw new BpfException("libbpf: attach program " + name + " (" + sectionName() + "): "
                    + Errno.describe(result.errno()), result.errno());
        }
        return new BpfLink(name, result.pointer());
    }

    /**
     * Attaches a cgroup program (cgroup/connect4...) to the cgroup whose
     * directory fd is given (a BPF link: detached when closed).
     */
    public BpfLink attachCgroup(int cgroupFd) throws BpfException {
        ErrnoCalls.Result result = ErrnoCalls.attachCgroup(program, cgroupFd);
        if (result.failed()) {
            throw new BpfException("libbpf: attach program " + name + " (" + sectionName() + ") to a cgroup: "
                    + Errno.describe(result.errno()), result.errno());
        }
        return new BpfLink(name, result.pointer());
    }
}
