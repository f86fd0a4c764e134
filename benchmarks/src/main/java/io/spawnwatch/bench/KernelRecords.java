package io.spawnwatch.bench;

import io.spawnwatch.event.ConnectRecordDescriptor;
import io.spawnwatch.event.ExecRecordDescriptor;
import io.spawnwatch.event.ProcessDescriptor;
import io.spawnwatch.event.RecordDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes records byte for byte as bpf/spawnwatch.bpf.c lays them out
 * (struct sw_exec_record, struct sw_connect_record), into a native segment,
 * for benchmarks that must not depend on the kernel. The test-side twin is
 * java/src/test/.../event/TestRecords.java; this one writes in place and
 * also fills the fields the kernel fills that tests leave at zero (gid,
 * euid, cgroup, start time, match bits, hook).
 */
final class KernelRecords {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    private KernelRecords() {}

    /** The identity part of a record (struct sw_process). */
    record Process(int pid, int ppid, int uid, int lineageRoot, int lineageDepth, long cgroupId, int match,
            String comm, String parentComm) {}

    /** Bytes a record of this type takes in the ring: its size rounded up to 8, as the kernel does. */
    static long slot(int type) {
        int size = type == RecordDescriptor.TYPE_EXEC ? ExecRecordDescriptor.LENGTH : ConnectRecordDescriptor.LENGTH;
        return (size + 7L) & ~7L;
    }

    /** An exec record at {@code at}; {@code args} NUL-terminated each, as bprm's argv. */
    static void exec(MemorySegment s, long at, long bootNanos, Process p, String exe, String cwd, String parentExe,
            String parentCwd, List<String> args) {
        s.asSlice(at, ExecRecordDescriptor.LENGTH).fill((byte) 0);
        header(s, at, RecordDescriptor.TYPE_EXEC, ExecRecordDescriptor.LENGTH, bootNanos);
        process(s, at, p);
        s.set(U32, at + ExecRecordDescriptor.ARGC_OFFSET, args.size());
        text(s, at + ExecRecordDescriptor.EXE_OFFSET, at + ExecRecordDescriptor.EXE_LEN_OFFSET, exe,
                ExecRecordDescriptor.PATH_CAPACITY);
        text(s, at + ExecRecordDescriptor.PARENT_EXE_OFFSET, at + ExecRecordDescriptor.PARENT_EXE_LEN_OFFSET,
                parentExe, ExecRecordDescriptor.PATH_CAPACITY);
        text(s, at + ExecRecordDescriptor.CWD_OFFSET, at + ExecRecordDescriptor.CWD_LEN_OFFSET, cwd,
                ExecRecordDescriptor.CWD_CAPACITY);
        text(s, at + ExecRecordDescriptor.PARENT_CWD_OFFSET, at + ExecRecordDescriptor.PARENT_CWD_LEN_OFFSET,
                parentCwd, ExecRecordDescriptor.CWD_CAPACITY);
        int used = 0;
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            if (used + b.length + 1 > ExecRecordDescriptor.ARGS_CAPACITY - 1) {
                throw new IllegalArgumentException("bench: args longer than the record holds: " + args);
            }
            MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, at + ExecRecordDescriptor.ARGS_OFFSET + used, b.length);
            used += b.length + 1;
        }
        s.set(U16, at + ExecRecordDescriptor.ARGS_LEN_OFFSET, (short) used);
    }

    /** A connect record at {@code at} (hook: the tracepoint, which reports source port 0, as on this machine). */
    static void connect(MemorySegment s, long at, long bootNanos, Process p, String source, String destination,
            int destinationPort) {
        s.asSlice(at, ConnectRecordDescriptor.LENGTH).fill((byte) 0);
        header(s, at, RecordDescriptor.TYPE_CONNECT, ConnectRecordDescriptor.LENGTH, bootNanos);
        process(s, at, p);
        byte[] src = address(source);
        byte[] dst = address(destination);
        if (src.length != dst.length) {
            throw new IllegalArgumentException("bench: mixed families: " + source + " -> " + destination);
        }
        s.set(U16, at + ConnectRecordDescriptor.FAMILY_OFFSET,
                (short) (dst.length == 4 ? ConnectRecordDescriptor.AF_INET : ConnectRecordDescriptor.AF_INET6));
        s.set(U16, at + ConnectRecordDescriptor.PROTOCOL_OFFSET, (short) 6);
        s.set(U16, at + ConnectRecordDescriptor.SPORT_OFFSET, (short) 0);
        s.set(U16, at + ConnectRecordDescriptor.DPORT_OFFSET, (short) destinationPort);
        MemorySegment.copy(src, 0, s, ValueLayout.JAVA_BYTE, at + ConnectRecordDescriptor.SADDR_OFFSET, src.length);
        MemorySegment.copy(dst, 0, s, ValueLayout.JAVA_BYTE, at + ConnectRecordDescriptor.DADDR_OFFSET, dst.length);
        s.set(U32, at + ConnectRecordDescriptor.HOOK_OFFSET, ConnectRecordDescriptor.HOOK_TP_INET_SOCK_SET_STATE);
    }

    private static void header(MemorySegment s, long at, int type, int size, long bootNanos) {
        s.set(U16, at + RecordDescriptor.TYPE_OFFSET, (short) type);
        s.set(U16, at + RecordDescriptor.VERSION_OFFSET, (short) RecordDescriptor.VERSION);
        s.set(U32, at + RecordDescriptor.SIZE_OFFSET, size);
        s.set(U64, at + RecordDescriptor.BOOT_NS_OFFSET, bootNanos);
    }

    private static void process(MemorySegment s, long at, Process p) {
        long b = at + RecordDescriptor.PROCESS_OFFSET;
        s.set(U32, b + ProcessDescriptor.PID_OFFSET, p.pid());
        s.set(U32, b + ProcessDescriptor.TID_OFFSET, p.pid());
        s.set(U32, b + ProcessDescriptor.PPID_OFFSET, p.ppid());
        s.set(U32, b + ProcessDescriptor.UID_OFFSET, p.uid());
        s.set(U32, b + ProcessDescriptor.GID_OFFSET, p.uid());
        s.set(U32, b + ProcessDescriptor.EUID_OFFSET, p.uid());
        s.set(U32, b + ProcessDescriptor.LINEAGE_ROOT_OFFSET, p.lineageRoot());
        s.set(U32, b + ProcessDescriptor.LINEAGE_DEPTH_OFFSET, p.lineageDepth());
        s.set(U64, b + ProcessDescriptor.CGROUP_ID_OFFSET, p.cgroupId());
        s.set(U64, b + ProcessDescriptor.START_BOOT_NS_OFFSET, 5_000_000_000L + p.pid());
        s.set(U32, b + ProcessDescriptor.MATCH_OFFSET, p.match());
        comm(s, b + ProcessDescriptor.COMM_OFFSET, p.comm());
        comm(s, b + ProcessDescriptor.PARENT_COMM_OFFSET, p.parentComm());
    }

    /** comm as the kernel keeps it: at most 15 bytes and a NUL. */
    private static void comm(MemorySegment s, long at, String comm) {
        byte[] b = comm.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, ProcessDescriptor.COMM_LENGTH - 1);
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, at, n);
    }

    private static void text(MemorySegment s, long at, long lengthAt, String value, int capacity) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        if (b.length >= capacity) {
            throw new IllegalArgumentException("bench: text longer than its field: " + value);
        }
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, at, b.length);
        s.set(U16, lengthAt, (short) b.length);
    }

    /** An IP literal as the kernel copies it (network order); never a name look-up. */
    static byte[] address(String literal) {
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("bench: not an IP literal: " + literal);
        }
        try {
            byte[] a = InetAddress.getByName(literal).getAddress();
            if (literal.contains(":") && a.length == 4) {
                // InetAddress folds ::ffff:a.b.c.d to IPv4; a dual-stack socket reports the mapped form.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(a, 0, mapped, 12, 4);
                return mapped;
            }
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bench: not an IP literal: " + literal, e);
        }
    }
}
