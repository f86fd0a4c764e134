package io.spawnwatch.enrich;

import io.spawnwatch.event.ExecRecord;
import io.spawnwatch.event.ProcessRecord;
import io.spawnwatch.event.SegmentText;
import io.spawnwatch.procfs.ProcFs;
import io.spawnwatch.recognition.ProcessClock;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What we know of recent processes, for command lines of parents and ancestry
 * chains. A process is named by (pid, start time): a pid alone may have been
 * reused, and a reused pid must never lend a dead process's command line or
 * ancestry to a new one. Start times from records are CLOCK_BOOTTIME ns; from
 * /proc they are known in clock ticks only, so identities are compared at tick
 * resolution ({@link ProcessClock}).
 *
 * <p>Bounded: a fixed number of slots, each with fixed-size buffers, reused
 * oldest first, so a flood of short-lived processes cannot grow the heap.
 * Filling a slot from an exec or fork record copies bytes and allocates
 * nothing; a process never seen (a web server started before us) is read once
 * from /proc, and only when /proc still shows the same process.
 *
 * <p>Each entry keeps the parent it was forked from: after the parent exits
 * the kernel reparents the child (to init or a subreaper), but the ancestry
 * chain still names the web server it came from.
 */
public final class ProcessTable {
    /** Arguments kept apart per process (process.parent.args); the rest stays joined in the last one. */
    public static final int MAX_ARGS = 64;

    /** One process. Its texts are views over its own buffers; the command line is kept space-joined. */
    public static final class Entry {
        int pid;
        int ppid;
        long startBootNanos;
        long parentStartBootNanos;
        long uid;
        final byte[] comm = new byte[16];
        final byte[] exe = new byte[512];
        final byte[] cmdline = new byte[1024];
        final byte[] cwd = new byte[256];
        int commLen;
        int exeLen;
        int cmdlineLen;
        int cwdLen;
        /** Where each argument ends in the joined command line (the space that was its NUL). */
        final short[] argEnds = new short[MAX_ARGS];
        int argCount;

        public int pid() {
            return pid;
        }

        /** The parent it was forked from (not the one it was reparented to). */
        public int ppid() {
            return ppid;
        }

        /** CLOCK_BOOTTIME ns; at tick resolution when read from /proc. */
        public long startBootNanos() {
            return startBootNanos;
        }

        /** The forking parent's start time; 0 when unknown. */
        public long parentStartBootNanos() {
            return parentStartBootNanos;
        }

        public SegmentText name(SegmentText out) {
            return out.wrap(comm, 0, commLen);
        }

        public SegmentText executable(SegmentText out) {
            return out.wrap(exe, 0, exeLen);
        }

        /** argv joined with spaces. */
        public SegmentText commandLine(SegmentText out) {
            return out.wrap(cmdline, 0, cmdlineLen);
        }

        /**
         * Argument {@code index} of argv, or null past the last one. Beyond
         * {@value #MAX_ARGS} arguments the last item holds the rest, space-joined.
         */
        public SegmentText arg(int index, SegmentText out) {
            if (index >= argCount) {
                return null;
            }
            int start = index == 0 ? 0 : argEnds[index - 1] + 1;
            int end = index == argCount - 1 ? cmdlineLen : argEnds[index];
            return out.wrap(cmdline, start, end - start);
        }

        public SegmentText workingDirectory(SegmentText out) {
            return out.wrap(cwd, 0, cwdLen);
        }
    }

    private final Entry[] slots;
    private final PidIndex index;
    private final Path proc;
    private final ProcessClock clock;
    private int hand;
    private long evictions;
    private long staleSkipped;
    private final SegmentText scratch = new SegmentText();

    public ProcessTable(int capacity, Path proc) {
        this.slots = new Entry[capacity];
        this.index = new PidIndex(capacity);
        this.proc = proc;
        this.clock = new ProcessClock(proc);
    }

    /**
     * Records the program a process now runs (an exec record). The same
     * process (pid and start time) keeps the parent it was forked from; a new
     * one replaces whatever that pid was.
     */
    public synchronized Entry recordExec(ExecRecord r) {
        Entry e = slotFor(r.pid(), r.startBootNanos());
        if (e.ppid == 0) {
            e.ppid = r.ppid();
            e.parentStartBootNanos = r.parentStartBootNanos();
        }
        e.uid = r.uid();
        e.commLen = r.comm(scratch).copyTo(e.comm);
        e.exeLen = r.exe(scratch).copyTo(e.exe);
        e.cwdLen = r.cwd(scratch).copyTo(e.cwd);
        int argsLen = Math.min(r.argsLength(), e.cmdline.length);
        MemorySegment.copy(r.segment(), ValueLayout.JAVA_BYTE, r.argsOffset(), e.cmdline, 0, argsLen);
        e.cmdlineLen = joinArgs(e, argsLen);
        return e;
    }

    /**
     * Records a forked process (a fork record): it runs its parent's program
     * with its parent's command line and directory until it execs, so those
     * are copied from the parent's entry when the table has it.
     */
    public synchronized Entry recordFork(ProcessRecord r) {
        Entry parent = get(r.ppid(), r.parentStartBootNanos());
        Entry e = slotFor(r.pid(), r.startBootNanos());
        e.ppid = r.ppid();
        e.parentStartBootNanos = r.parentStartBootNanos();
        e.uid = r.uid();
        e.commLen = r.comm(scratch).copyTo(e.comm);
        if (parent != null && parent != e) {
            System.arraycopy(parent.exe, 0, e.exe, 0, parent.exeLen);
            e.exeLen = parent.exeLen;
            System.arraycopy(parent.cmdline, 0, e.cmdline, 0, parent.cmdlineLen);
            e.cmdlineLen = parent.cmdlineLen;
            System.arraycopy(parent.argEnds, 0, e.argEnds, 0, parent.argEnds.length);
            e.argCount = parent.argCount;
            System.arraycopy(parent.cwd, 0, e.cwd, 0, parent.cwdLen);
            e.cwdLen = parent.cwdLen;
        }
        return e;
    }

    /**
     * The entry of the process (pid, start), reading /proc once when it is
     * not known; null when that process is gone or the pid now names another.
     * startBootNanos 0 means unknown: any process of that pid.
     */
    public synchronized Entry get(int pid, long startBootNanos) {
        int slot = index.get(pid);
        if (slot >= 0) {
            Entry e = slots[slot];
            if (sameProcess(e.startBootNanos, startBootNanos)) {
                return e;
            }
            staleSkipped++;
        }
        if (pid <= 0) {
            return null;
        }
        if (startBootNanos != 0 && !clock.isAlive(pid, startBootNanos)) {
            return null; // that process is gone; /proc would show another
        }
        return readProc(pid);
    }

    /** The entry of a pid whatever its start time, reading /proc once when it is not known. */
    public synchronized Entry get(int pid) {
        return get(pid, 0);
    }

    /** The entry of a pid only if known already (never touches /proc). */
    public synchronized Entry peek(int pid) {
        int slot = index.get(pid);
        return slot >= 0 ? slots[slot] : null;
    }

    /** Slots reused for a new process while still holding another. */
    public synchronized long evictions() {
        return evictions;
    }

    /** Look-ups that found a pid holding another process than the one asked for (pid reuse). */
    public synchronized long staleSkipped() {
        return staleSkipped;
    }

    public int capacity() {
        return slots.length;
    }

    /** Two start times name the same process: equal at /proc's tick resolution, or one unknown (0). */
    static boolean sameProcess(long a, long b) {
        return a == 0 || b == 0 || ProcessClock.ticks(a) == ProcessClock.ticks(b);
    }

    private Entry slotFor(int pid, long startBootNanos) {
        int existing = index.get(pid);
        if (existing >= 0) {
            Entry e = slots[existing];
            if (!sameProcess(e.startBootNanos, startBootNanos)) {
                reset(e, pid); // the pid was reused: nothing of the old process stays
            }
            if (startBootNanos != 0) {
                e.startBootNanos = startBootNanos;
            }
            return e;
        }
        int slot = hand;
        hand = (hand + 1) % slots.length;
        Entry e = slots[slot];
        if (e == null) {
            e = new Entry();
            slots[slot] = e;
        } else {
            index.remove(e.pid);
            evictions++;
        }
        reset(e, pid);
        e.startBootNanos = startBootNanos;
        index.put(pid, slot);
        return e;
    }

    private static void reset(Entry e, int pid) {
        e.pid = pid;
        e.argCount = 0;
        e.ppid = 0;
        e.parentStartBootNanos = 0;
        e.startBootNanos = 0;
        e.commLen = e.exeLen = e.cmdlineLen = e.cwdLen = 0;
    }

    /**
     * Records a process read from /proc (the reads are done by the caller, outside this table's lock, since
     * they may block: SlowReads). A process the table knows already is left as it is: an exec or fork record
     * is fresher than /proc.
     *
     * @param cmdline argv as /proc/PID/cmdline has it, or null when it could not be read
     */
    public synchronized Entry recordProc(ProcFs.Status status, byte[] cmdline, String exe, String cwd) {
        long start = clock.startBootNanos(status.pid());
        int known = index.get(status.pid());
        if (known >= 0 && sameProcess(slots[known].startBootNanos, start < 0 ? 0 : start)) {
            return slots[known];
        }
        Entry e = slotFor(status.pid(), start < 0 ? 0 : start);
        e.commLen = copy(status.name(), e.comm);
        e.ppid = status.ppid();
        long parentStart = e.ppid > 0 ? clock.startBootNanos(e.ppid) : -1;
        e.parentStartBootNanos = parentStart < 0 ? 0 : parentStart;
        e.uid = status.uid();
        e.exeLen = copy(exe, e.exe);
        e.cwdLen = copy(cwd, e.cwd);
        if (cmdline != null) {
            int n = Math.min(cmdline.length, e.cmdline.length);
            System.arraycopy(cmdline, 0, e.cmdline, 0, n);
            e.cmdlineLen = joinArgs(e, n);
        }
        return e;
    }

    private Entry readProc(int pid) {
        Path dir = proc.resolve(Integer.toString(pid));
        String status;
        try {
            status = Files.readString(dir.resolve("status"));
        } catch (IOException e) {
            return null;
        }
        long start = clock.startBootNanos(pid);
        Entry e = slotFor(pid, start < 0 ? 0 : start);
        for (String line : status.split("\n")) {
            if (line.startsWith("Name:")) {
                e.commLen = copy(line.substring(5).strip(), e.comm);
            } else if (line.startsWith("PPid:")) {
                e.ppid = parseInt(line.substring(5).strip());
            } else if (line.startsWith("Uid:")) {
                e.uid = parseInt(line.substring(4).strip().split("\\s+")[0]);
            }
        }
        long parentStart = e.ppid > 0 ? clock.startBootNanos(e.ppid) : -1;
        e.parentStartBootNanos = parentStart < 0 ? 0 : parentStart;
        e.exeLen = copy(readLink(dir.resolve("exe")), e.exe);
        e.cwdLen = copy(readLink(dir.resolve("cwd")), e.cwd);
        try {
            byte[] cmdline = Files.readAllBytes(dir.resolve("cmdline"));
            int n = Math.min(cmdline.length, e.cmdline.length);
            System.arraycopy(cmdline, 0, e.cmdline, 0, n);
            e.cmdlineLen = joinArgs(e, n);
        } catch (IOException ex) {
            e.cmdlineLen = 0;
        }
        return e;
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * {@link ProcFs#joinArgs(byte[], int)} on the entry's command line, noting
     * where each argument ended (the NULs made spaces) so that
     * {@link Entry#arg} can give the arguments back one by one.
     */
    private static int joinArgs(Entry e, int length) {
        int n = length;
        byte[] args = e.cmdline;
        while (n > 0 && args[n - 1] == 0) {
            n--;
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (args[i] == 0) {
                if (count < MAX_ARGS - 1) {
                    e.argEnds[count++] = (short) i;
                }
                args[i] = ' ';
            }
        }
        e.argCount = n == 0 ? 0 : count + 1;
        return n;
    }

    private static int copy(String s, byte[] out) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, out.length);
        System.arraycopy(bytes, 0, out, 0, n);
        return n;
    }
}
