package io.spawnwatch.enrich;

import io.spawnwatch.event.ExecRecord;
import io.spawnwatch.event.SegmentText;
import io.spawnwatch.procfs.ProcFs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What we know of recent processes, for command lines of parents and ancestry
 * chains. Bounded: a fixed number of slots, each with fixed-size buffers,
 * reused oldest first, so a flood of short-lived processes cannot grow the
 * heap. Filling a slot from an exec record copies bytes and allocates
 * nothing; a process never seen exec (a web server started before us) is read
 * once from /proc.
 */
public final class ProcessTable {
    /** Arguments kept apart per process (process.parent.args); the rest stays joined in the last one. */
    public static final int MAX_ARGS = 64;

    /** One process. Its texts are views over its own buffers; the command line is kept space-joined. */
    public static final class Entry {
        int pid;
        int ppid;
        long startBootNanos;
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

        public int ppid() {
            return ppid;
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
    private final ProcFs procFs;
    private int hand;
    private long evictions;
    private final SegmentText scratch = new SegmentText();

    public ProcessTable(int capacity, Path proc) {
        this.slots = new Entry[capacity];
        this.index = new PidIndex(capacity);
        this.procFs = new ProcFs(proc);
    }

    /** Records the process an exec record describes (replacing what that pid was). */
    public synchronized Entry recordExec(ExecRecord r) {
        Entry e = slotFor(r.pid());
        e.ppid = r.ppid();
        e.startBootNanos = r.startBootNanos();
        e.uid = r.uid();
        e.commLen = r.comm(scratch).copyTo(e.comm);
        e.exeLen = r.exe(scratch).copyTo(e.exe);
        e.cwdLen = r.cwd(scratch).copyTo(e.cwd);
        int argsLen = Math.min(r.argsLength(), e.cmdline.length);
        MemorySegment.copy(r.segment(), ValueLayout.JAVA_BYTE, r.argsOffset(), e.cmdline, 0, argsLen);
        e.cmdlineLen = joinArgs(e, argsLen);
        return e;
    }

    /** The entry of a pid, reading /proc once when it is not known; null when gone. */
    public synchronized Entry get(int pid) {
        int slot = index.get(pid);
        if (slot >= 0) {
            return slots[slot];
        }
        return pid > 0 ? readProc(pid) : null;
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

    public int capacity() {
        return slots.length;
    }

    private Entry slotFor(int pid) {
        int existing = index.get(pid);
        if (existing >= 0) {
            return slots[existing];
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
        e.pid = pid;
        e.commLen = e.exeLen = e.cmdlineLen = e.cwdLen = e.argCount = 0;
        index.put(pid, slot);
        return e;
    }

    private Entry readProc(int pid) {
        ProcFs.Status status = procFs.status(pid);
        return status == null ? null : recordProc(status, procFs.cmdline(pid), procFs.exe(pid), procFs.cwd(pid));
    }

    /**
     * Records a process read from /proc (see {@link ProcFs}; the reads are done by the caller, outside this
     * table's lock, since they may block). A pid the table knows already is left as it is: an exec record
     * is fresher than /proc.
     *
     * @param cmdline argv as /proc/PID/cmdline has it, or null when it could not be read
     */
    public synchronized Entry recordProc(ProcFs.Status status, byte[] cmdline, String exe, String cwd) {
        int known = index.get(status.pid());
        if (known >= 0) {
            return slots[known];
        }
        Entry e = slotFor(status.pid());
        e.commLen = copy(status.name(), e.comm);
        e.ppid = status.ppid();
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
