package io.spawnwatch.libbpf;

import io.spawnwatch.libbpf.jextract.LibBpf;
import java.lang.foreign.MemorySegment;

/** An attached program; closing it detaches the program from its hook. */
public final class BpfLink implements AutoCloseable {
    private final String programName;
    private MemorySegment link;

    BpfLink(String programName, MemorySegment link) {
        this.programName = programName;
        this.link = link;
    }

    public String programName() {
        return programName;
    }

    @Override
    public synchronized void close() {
        if (link != null) {
            LibBpf.bpf_link__destroy(link);
            link = null;
        }
    }
}
