package io.spawnwatch.enrich;

import io.spawnwatch.procfs.ProcFs;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The enrichment's slow path: /proc reads (a process the table has never seen exec, a cgroup's container id)
 * go to a bounded queue read by one platform thread, so the ring reader never waits for /proc. The reader asks
 * with {@link #process} and {@link #container}; an answer not known yet is requested and the event says
 * {@code pending}; the next events of that process find it in the table.
 *
 * <p>Repeated asks are cheap and bounded: a fixed table of recent requests (by pid, and by cgroup id) answers
 * "in flight" for {@link #IN_FLIGHT_NANOS} after a request, then "gone" (the read found nothing) until
 * {@link #RETRY_NANOS} have passed. Its size is fixed, so a flood of short-lived pids costs no memory; a
 * collision only means one extra read. Nothing here allocates on the reader thread except the request itself.
 */
public final class SlowReads implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SlowReads.class.getName());

    /** How long a requested read counts as on its way: /proc reads take micro- to milliseconds. */
    static final long IN_FLIGHT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long a read that found nothing is believed before it is tried again. */
    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int RECENT = 4096; // power of two
    private static final int QUEUE = 1024;

    /** What the reader gets back. */
    public enum Answer { KNOWN, PENDING, MISSING }

    private record Request(int pid, long cgroupId, boolean container) {}

    private final ProcessTable processes;
    private final ContainerIds containers;
    private final ProcFs procFs;
    private final ArrayBlockingQueue<Request> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread thread;

    // Reader-thread state: recent requests by pid and by cgroup id (open addressing, overwritten on collision).
    private final int[] recentPids = new int[RECENT];
    private final long[] pidRequestedAt = new long[RECENT];
    private final long[] recentCgroups = new long[RECENT];
    private final long[] cgroupRequestedAt = new long[RECENT];

    private final AtomicLong requested = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong missing = new AtomicLong();
    private final AtomicLong queueFull = new AtomicLong();

    /**
     * Counters of the slow path.
     *
     * @param requested reads queued
     * @param completed reads that found the process (or cgroup) and filled the table (or cache)
     * @param missing   reads that found the process gone
     * @param queueFull reads not queued because the queue was full (the field stays empty, not pending)
     * @param queued    reads waiting now
     */
    public record Stats(long requested, long completed, long missing, long queueFull, int queued) {}

    public SlowReads(ProcessTable processes, ContainerIds containers, ProcFs procFs) {
        this.processes = processes;
        this.containers = containers;
        this.procFs = procFs;
        this.thread = Thread.ofPlatform().name("spawnwatch-enrichment").daemon(true).start(this::run);
    }

    /**
     * The table's entry for {@code pid}, never reading /proc: null with {@code PENDING} in {@code answer[0]}
     * when a read is on its way, {@code MISSING} when the process is gone or the queue was full.
     */
    public ProcessTable.Entry process(int pid, Answer[] answer) {
        ProcessTable.Entry e = processes.peek(pid);
        if (e != null || pid <= 0) {
            answer[0] = e != null ? Answer.KNOWN : Answer.MISSING;
            return e;
        }
        int slot = Integer.hashCode(pid * 0x9E3779B9) & (RECENT - 1);
        answer[0] = recentAnswer(recentPids[slot] == pid, pidRequestedAt, slot);
        if (answer[0] == null) {
            recentPids[slot] = pid;
            answer[0] = request(new Request(pid, 0, false), pidRequestedAt, slot);
        }
        return null;
    }

    /**
     * The container id of a cgroup from the cache, never reading /proc: null with {@code KNOWN} on the host,
     * null with {@code PENDING} while the read is on its way.
     */
    public String container(long cgroupId, int pid, Answer[] answer) {
        String id = containers.cached(cgroupId);
        if (id != null) {
            answer[0] = Answer.KNOWN;
            return id.isEmpty() ? null : id;
        }
        int slot = Long.hashCode(cgroupId * 0x9E3779B97F4A7C15L) & (RECENT - 1);
        answer[0] = recentAnswer(recentCgroups[slot] == cgroupId, cgroupRequestedAt, slot);
        if (answer[0] == null) {
            recentCgroups[slot] = cgroupId;
            answer[0] = request(new Request(pid, cgroupId, true), cgroupRequestedAt, slot);
        }
        return null;
    }

    /** PENDING or MISSING for a recent request of the same key; null when a new request is due. */
    private static Answer recentAnswer(boolean sameKey, long[] requestedAt, int slot) {
        if (!sameKey || requestedAt[slot] == 0) {
            return null;
        }
        long age = System.nanoTime() - requestedAt[slot];
        if (age < IN_FLIGHT_NANOS) {
            return Answer.PENDING;
        }
        return age < RETRY_NANOS ? Answer.MISSING : null;
    }

    private Answer request(Request r, long[] requestedAt, int slot) {
        requestedAt[slot] = System.nanoTime() | 1; // never 0, which means "never requested"
        if (!queue.offer(r)) {
            queueFull.incrementAndGet();
            return Answer.MISSING;
        }
        requested.incrementAndGet();
        return Answer.PENDING;
    }

    public Stats stats() {
        return new Stats(requested.get(), completed.get(), missing.get(), queueFull.get(), queue.size());
    }

    private void run() {
        try {
            while (true) {
                Request r = queue.take();
                try {
                    boolean found = r.container() ? containers.of(r.cgroupId(), r.pid()) != null
                            || containers.cached(r.cgroupId()) != null : readProcess(r.pid());
                    (found ? completed : missing).incrementAndGet();
                } catch (RuntimeException e) {
                    missing.incrementAndGet();
                    LOG.log(System.Logger.Level.WARNING, "enrichment: reading /proc for pid " + r.pid()
                            + " failed: " + (e.getMessage() == null ? "an internal error" : e.getMessage()), e);
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    private boolean readProcess(int pid) {
        ProcFs.Status status = procFs.status(pid);
        if (status == null) {
            return false;
        }
        processes.recordProc(status, procFs.cmdline(pid), procFs.exe(pid), procFs.cwd(pid));
        return true;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
