package io.spawnwatch.event;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** Builds records byte for byte as the kernel lays them out, for tests over synthetic data. */
public final class TestRecords {
    private TestRecords() {}

    /** An exec record; args are NUL-terminated each. */
    public static MemorySegment exec(int pid, int ppid, String comm, String parentComm, String exe, String cwd,
            String parentExe, long uid, int lineageRoot, int lineageDepth, String... args) {
        MemorySegment s = MemorySegment.ofArray(new byte[ExecRecordDescriptor.LENGTH]);
        header(s, RecordDescriptor.TYPE_EXEC, ExecRecordDescriptor.LENGTH);
        process(s, pid, ppid, comm, parentComm, uid, lineageRoot, lineageDepth);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, ExecRecordDescriptor.ARGC_OFFSET, args.length);
        text(s, ExecRecordDescriptor.EXE_OFFSET, ExecRecordDescriptor.EXE_LEN_OFFSET, exe);
        text(s, ExecRecordDescriptor.CWD_OFFSET, ExecRecordDescriptor.CWD_LEN_OFFSET, cwd);
        text(s, ExecRecordDescriptor.PARENT_EXE_OFFSET, ExecRecordDescriptor.PARENT_EXE_LEN_OFFSET, parentExe);
        int at = 0;
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, ExecRecordDescriptor.ARGS_OFFSET + at, b.length);
            at += b.length + 1;
        }
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, ExecRecordDescriptor.ARGS_LEN_OFFSET, (short) at);
        return s;
    }

    /** Sets an exec record's parent working directory (as the kernel fills it from the parent's fs->pwd). */
    public static MemorySegment withParentCwd(MemorySegment exec, String cwd) {
        text(exec, ExecRecordDescriptor.PARENT_CWD_OFFSET, ExecRecordDescriptor.PARENT_CWD_LEN_OFFSET, cwd);
        return exec;
    }

    /** A connect record (IPv4 or IPv6 literals, both of one family; source port 0 as the tracepoint gives). */
    public static MemorySegment connect(int pid, int ppid, String comm, String parentComm, long uid, int lineageRoot,
            int lineageDepth, String source, String destination, int destinationPort) {
        MemorySegment s = MemorySegment.ofArray(new byte[ConnectRecordDescriptor.LENGTH]);
        header(s, RecordDescriptor.TYPE_CONNECT, ConnectRecordDescriptor.LENGTH);
        process(s, pid, ppid, comm, parentComm, uid, lineageRoot, lineageDepth);
        byte[] src = address(source);
        byte[] dst = address(destination);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, ConnectRecordDescriptor.FAMILY_OFFSET,
                (short) (dst.length == 4 ? ConnectRecordDescriptor.AF_INET : ConnectRecordDescriptor.AF_INET6));
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, ConnectRecordDescriptor.PROTOCOL_OFFSET, (short) 6);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, ConnectRecordDescriptor.DPORT_OFFSET, (short) destinationPort);
        MemorySegment.copy(src, 0, s, ValueLayout.JAVA_BYTE, ConnectRecordDescriptor.SADDR_OFFSET, src.length);
        MemorySegment.copy(dst, 0, s, ValueLayout.JAVA_BYTE, ConnectRecordDescriptor.DADDR_OFFSET, dst.length);
        return s;
    }

    /** A file record: a lineage member wrote path (action and class as FileRecordDescriptor names them). */
    public static MemorySegment file(int pid, int ppid, String comm, String parentComm, long uid, int lineageRoot,
            int lineageDepth, int action, int pathClass, int mode, String path) {
        MemorySegment s = MemorySegment.ofArray(new byte[FileRecordDescriptor.LENGTH]);
        header(s, RecordDescriptor.TYPE_FILE, FileRecordDescriptor.LENGTH);
        process(s, pid, ppid, comm, parentComm, uid, lineageRoot, lineageDepth);
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, FileRecordDescriptor.ACTION_OFFSET, (short) action);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, FileRecordDescriptor.CLASS_OFFSET, (short) pathClass);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, FileRecordDescriptor.PATH_LEN_OFFSET, (short) p.length);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, FileRecordDescriptor.MODE_OFFSET, mode);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, FileRecordDescriptor.HOOK_OFFSET,
                (short) FileRecordDescriptor.HOOK_SYSCALL_TP);
        MemorySegment.copy(p, 0, s, ValueLayout.JAVA_BYTE, FileRecordDescriptor.PATH_OFFSET, p.length);
        return s;
    }

    /** A DNS query record: the datagram a lineage member sent to destination:53. */
    public static MemorySegment dns(int pid, int ppid, String comm, String parentComm, long uid, int lineageRoot,
            int lineageDepth, String destination, byte[] payload) {
        MemorySegment s = MemorySegment.ofArray(new byte[DnsRecordDescriptor.LENGTH]);
        header(s, RecordDescriptor.TYPE_DNS, DnsRecordDescriptor.LENGTH);
        process(s, pid, ppid, comm, parentComm, uid, lineageRoot, lineageDepth);
        byte[] dst = address(destination);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, DnsRecordDescriptor.FAMILY_OFFSET,
                (short) (dst.length == 4 ? ConnectRecordDescriptor.AF_INET : ConnectRecordDescriptor.AF_INET6));
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, DnsRecordDescriptor.DPORT_OFFSET, (short) 53);
        int copied = Math.min(payload.length, DnsRecordDescriptor.PAYLOAD_CAPACITY);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, DnsRecordDescriptor.PAYLOAD_LEN_OFFSET, (short) copied);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, DnsRecordDescriptor.TOTAL_LEN_OFFSET, payload.length);
        MemorySegment.copy(dst, 0, s, ValueLayout.JAVA_BYTE, DnsRecordDescriptor.DADDR_OFFSET, dst.length);
        MemorySegment.copy(payload, 0, s, ValueLayout.JAVA_BYTE, DnsRecordDescriptor.PAYLOAD_OFFSET, copied);
        return s;
    }

    /** A listen record: the bound address literal and port (host order). */
    public static MemorySegment listen(int pid, int ppid, String comm, String parentComm, long uid, int lineageRoot,
            int lineageDepth, String address, int port) {
        MemorySegment s = MemorySegment.ofArray(new byte[ListenRecordDescriptor.LENGTH]);
        header(s, RecordDescriptor.TYPE_LISTEN, ListenRecordDescriptor.LENGTH);
        process(s, pid, ppid, comm, parentComm, uid, lineageRoot, lineageDepth);
        byte[] a = address(address);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, ListenRecordDescriptor.FAMILY_OFFSET,
                (short) (a.length == 4 ? ConnectRecordDescriptor.AF_INET : ConnectRecordDescriptor.AF_INET6));
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, ListenRecordDescriptor.PROTOCOL_OFFSET, (short) 6);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, ListenRecordDescriptor.PORT_OFFSET, (short) port);
        MemorySegment.copy(a, 0, s, ValueLayout.JAVA_BYTE, ListenRecordDescriptor.ADDR_OFFSET, a.length);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, ListenRecordDescriptor.HOOK_OFFSET,
                ConnectRecordDescriptor.HOOK_TP_INET_SOCK_SET_STATE);
        return s;
    }

    /** A fork record: the child pid, its parent, comm inherited. */
    public static MemorySegment fork(int pid, int ppid, String comm, int lineageRoot, int lineageDepth) {
        MemorySegment s = MemorySegment.ofArray(new byte[ForkRecordDescriptor.LENGTH]);
        header(s, RecordDescriptor.TYPE_FORK, ForkRecordDescriptor.LENGTH);
        process(s, pid, ppid, comm, comm, 0, lineageRoot, lineageDepth);
        return s;
    }

    /** Sets the start times (CLOCK_BOOTTIME ns) of a record's process and of its parent; returns the record. */
    public static MemorySegment started(MemorySegment s, long startBootNanos, long parentStartBootNanos) {
        int p = RecordDescriptor.PROCESS_OFFSET;
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, p + ProcessDescriptor.START_BOOT_NS_OFFSET, startBootNanos);
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, p + ProcessDescriptor.PARENT_START_BOOT_NS_OFFSET,
                parentStartBootNanos);
        return s;
    }

    private static byte[] address(String literal) {
        try {
            return java.net.InetAddress.getByName(literal).getAddress(); // literals only: no look-up
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** The start time (CLOCK_BOOTTIME ns) the records of {@code pid} carry: one per pid, before the event. */
    public static long startBootNanos(int pid) {
        return 500_000_000L + pid;
    }

    static void header(MemorySegment s, int type, int size) {
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, RecordDescriptor.TYPE_OFFSET, (short) type);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, RecordDescriptor.VERSION_OFFSET, (short) RecordDescriptor.VERSION);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, RecordDescriptor.SIZE_OFFSET, size);
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, RecordDescriptor.BOOT_NS_OFFSET, 1_000_000_000L);
    }

    static void process(MemorySegment s, int pid, int ppid, String comm, String parentComm, long uid, int root,
            int depth) {
        int p = RecordDescriptor.PROCESS_OFFSET;
        s.set(ValueLayout.JAVA_INT_UNALIGNED, p + ProcessDescriptor.PID_OFFSET, pid);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, p + ProcessDescriptor.TID_OFFSET, pid);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, p + ProcessDescriptor.PPID_OFFSET, ppid);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, p + ProcessDescriptor.UID_OFFSET, (int) uid);
        // A process that did not change identity: effective ids equal the real ones.
        s.set(ValueLayout.JAVA_INT_UNALIGNED, p + ProcessDescriptor.EUID_OFFSET, (int) uid);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, p + ProcessDescriptor.GID_OFFSET, (int) uid);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, p + ProcessDescriptor.EGID_OFFSET, (int) uid);
        // Every process is named by (pid, start time); a session and group of its own; no terminal.
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, p + ProcessDescriptor.START_BOOT_NS_OFFSET, startBootNanos(pid));
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, p + ProcessDescriptor.PARENT_START_BOOT_NS_OFFSET,
                startBootNanos(ppid));
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, p + ProcessDescriptor.ROOT_START_BOOT_NS_OFFSET,
                root == 0 ? 0 : startBootNanos(root));
        s.set(ValueLayout.JAVA_INT_UNALIGNED, p + ProcessDescriptor.SID_OFFSET, pid);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, p + ProcessDescriptor.PGID_OFFSET, pid);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, p + ProcessDescriptor.LINEAGE_ROOT_OFFSET, root);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, p + ProcessDescriptor.LINEAGE_DEPTH_OFFSET, depth);
        byte[] c = comm.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(c, 0, s, ValueLayout.JAVA_BYTE, p + ProcessDescriptor.COMM_OFFSET, c.length);
        byte[] pc = parentComm.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(pc, 0, s, ValueLayout.JAVA_BYTE, p + ProcessDescriptor.PARENT_COMM_OFFSET, pc.length);
    }

    private static void text(MemorySegment s, int offset, int lengthOffset, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, offset, b.length);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, lengthOffset, (short) b.length);
    }
}
