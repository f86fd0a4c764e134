package io.spawnwatch.libbpf;

import io.spawnwatch.libbpf.jextract.LibBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/** errno values as "ENAME (strerror text)", the form every libbpf error message here ends with. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EBADF = 9;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int ENOTSUP = 95;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(3, "ESRCH"),
            Map.entry(4, "EINTR"), Map.entry(5, "EIO"), Map.entry(7, "E2BIG"),
            Map.entry(9, "EBADF"), Map.entry(11, "EAGAIN"), Map.entry(12, "ENOMEM"),
            Map.entry(13, "EACCES"), Map.entry(14, "EFAULT"), Map.entry(16, "EBUSY"),
            Map.entry(17, "EEXIST"), Map.entry(19, "ENODEV"), Map.entry(22, "EINVAL"),
            Map.entry(24, "EMFILE"), Map.entry(28, "ENOSPC"), Map.entry(38, "ENOSYS"),
            Map.entry(95, "ENOTSUP"), Map.entry(524, "ENOTSUPP"), Map.entry(4007, "LIBBPF_ERRNO__PROG2BIG"),
            Map.entry(4003, "LIBBPF_ERRNO__FORMAT"), Map.entry(4004, "LIBBPF_ERRNO__KVERSION"),
            Map.entry(4005, "LIBBPF_ERRNO__ENDIAN"), Map.entry(4006, "LIBBPF_ERRNO__INTERNAL"),
            Map.entry(4008, "LIBBPF_ERRNO__KVER"), Map.entry(4009, "LIBBPF_ERRNO__LOAD"),
            Map.entry(4010, "LIBBPF_ERRNO__VERIFY"));

    private Errno() {}

    /** "EPERM (Operation not permitted)" for 1 or -1. */
    public static String describe(int errno) {
        int positive = Math.abs(errno);
        return NAMES.getOrDefault(positive, "errno " + positive) + " (" + strerror(positive) + ")";
    }

    /** libbpf_strerror also knows libbpf's own error codes (4000+). */
    public static String strerror(int errno) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            LibBpf.libbpf_strerror(Math.abs(errno), buf, buf.byteSize());
            return buf.getString(0);
        }
    }
}
