package io.spawnwatch.bench;

import io.spawnwatch.event.ConnectRecord;
import io.spawnwatch.event.ExecRecord;
import io.spawnwatch.event.RecordDescriptor;
import io.spawnwatch.event.SegmentText;
import io.spawnwatch.ring.RecordHandler;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-record work of the ring-drain benchmark, shared by the mmap reader
 * and the libbpf upcall so that both do exactly the same thing (and
 * native/bench/ring_drain.c mirrors it in C).
 */
final class DrainHandlers {
    private DrainHandlers() {}

    /**
     * Decodes what the evaluator reads, through the production flyweights:
     * version and type, pid/ppid/uid/lineage, comm and parent comm (NUL scan),
     * exe (length and last byte), cwd, the command line (trailing NULs trimmed)
     * and argc; for connects pid/uid/comm, destination port and address.
     */
    static final class Decode implements RecordHandler {
        private final ExecRecord exec = new ExecRecord();
        private final ConnectRecord connect = new ConnectRecord();
        private final SegmentText comm = new SegmentText();
        private final SegmentText parentComm = new SegmentText();
        private final SegmentText exe = new SegmentText();
        private final SegmentText cwd = new SegmentText();
        private final SegmentText commandLine = new SegmentText();
        private final byte[] address = new byte[16];
        Blackhole bh;
        long records;

        @Override
        public void onRecord(MemorySegment data, long offset, int length) {
            final Blackhole bh = this.bh;
            records++;
            ExecRecord e = exec.wrap(data, offset);
            if (e.version() != RecordDescriptor.VERSION) {
                return;
            }
            switch (e.type()) {
                case RecordDescriptor.TYPE_EXEC -> {
                    bh.consume(e.pid());
                    bh.consume(e.ppid());
                    bh.consume(e.uid());
                    bh.consume(e.lineageRoot());
                    bh.consume(e.lineageDepth());
                    bh.consume(e.comm(comm).length());
                    bh.consume(e.parentComm(parentComm).length());
                    SegmentText x = e.exe(exe);
                    int n = x.length();
                    bh.consume(n);
                    bh.consume(n > 0 ? x.charAt(n - 1) : 0);
                    bh.consume(e.cwd(cwd).length());
                    bh.consume(e.commandLine(commandLine).length());
                    bh.consume(e.argc());
                }
                case RecordDescriptor.TYPE_CONNECT -> {
                    ConnectRecord c = connect.wrap(data, offset);
                    bh.consume(c.pid());
                    bh.consume(c.uid());
                    bh.consume(c.comm(comm).length());
                    bh.consume(c.destinationPort());
                    bh.consume(c.destinationAddress(address));
                    bh.consume(address[0]);
                }
                default -> bh.consume(length);
            }
        }
    }

    /** The reader alone: counts records, reads nothing of them. */
    static final class Count implements RecordHandler {
        long records;

        @Override
        public void onRecord(MemorySegment data, long offset, int length) {
            records++;
        }
    }

    /** Raw-read baseline: the first word of each record and nothing else. */
    static final class Raw implements RecordHandler {
        Blackhole bh;
        long records;

        @Override
        public void onRecord(MemorySegment data, long offset, int length) {
            records++;
            bh.consume(data.get(ValueLayout.JAVA_INT_UNALIGNED, offset));
        }
    }
}
