package io.spawnwatch.kernel;

import io.spawnwatch.event.ProcessRecord;
import io.spawnwatch.event.SegmentText;
import io.spawnwatch.ring.RingBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The real BPF object loaded and attached, with its ring buffer read by the
 * test itself: each record the kernel sends is copied out, so a test can look
 * at the raw fields before any user-space stage has touched them.
 */
public final class KernelRecorder implements AutoCloseable {
    private static final int RING_BYTES = 1 << 22;

    private final KernelProbes probes;
    private final FilterMaps maps;
    private final RingBuffer ring;
    private final List<MemorySegment> records = new ArrayList<>();

    private KernelRecorder(KernelProbes probes) throws Exception {
        this.probes = probes;
        this.maps = new FilterMaps(probes);
        this.ring = RingBuffer.map(probes.map("events").fd(), RING_BYTES);
    }

    /** Loads the object, this JVM excluded as the sensor is. */
    public static KernelRecorder open() throws Exception {
        KernelTestSupport.requireKernel();
        int self = (int) ProcessHandle.current().pid();
        KernelProbes probes = KernelProbes.open(new KernelProbes.Options(RING_BYTES, 8192, self));
        try {
            return new KernelRecorder(probes);
        } catch (Exception | Error e) {
            probes.close();
            throw e;
        }
    }

    public FilterMaps maps() {
        return maps;
    }

    public KernelProbes probes() {
        return probes;
    }

    /** Waits for a record that matches; each record is a heap copy of the kernel's bytes. */
    public MemorySegment await(Predicate<MemorySegment> match, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < records.size(); checked++) {
                if (match.test(records.get(checked))) {
                    return records.get(checked);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no kernel record for " + what + " within " + timeout + "; saw "
                        + describeAll());
            }
            if (ring.poll((data, offset, length) -> records.add(
                    MemorySegment.ofArray(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE))), 4096) == 0) {
                Thread.sleep(10);
            }
        }
    }

    /** Every record received so far (polls once first). */
    public List<MemorySegment> drain() {
        ring.poll((data, offset, length) -> records.add(
                MemorySegment.ofArray(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE))), 1 << 20);
        return List.copyOf(records);
    }

    /** Matches records of a type whose process has this comm. */
    public static Predicate<MemorySegment> ofType(int type, String comm) {
        return r -> {
            ProcessRecord p = new ProcessRecord().wrap(r, 0);
            return p.type() == type && p.comm(new SegmentText()).toString().equals(comm);
        };
    }

    private String describeAll() {
        StringBuilder sb = new StringBuilder(records.size() + " records:");
        for (MemorySegment r : records) {
            ProcessRecord p = new ProcessRecord().wrap(r, 0);
            sb.append("\n  type=").append(p.type()).append(" pid=").append(p.pid()).append(" comm=")
                    .append(p.comm(new SegmentText())).append(" root=").append(p.lineageRoot()).append(" depth=")
                    .append(p.lineageDepth());
        }
        return sb.toString();
    }

    @Override
    public void close() {
        ring.close();
        probes.close();
    }
}
