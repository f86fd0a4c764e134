package io.spawnwatch.libbpf;

import io.spawnwatch.libbpf.jextract.LibBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * libbpf error codes as "ENAME (text)". The system errno names come from
 * {@link io.spawnwatch.sys.Errno}; libbpf adds its own codes from 4000 up,
 * which only libbpf_strerror knows how to say.
 */
public final class Errno {
    public static final int ENOENT = io.spawnwatch.sys.Errno.ENOENT;
    private static final int LIBBPF_ERRNO_START = 4000;
    private static final String[] LIBBPF_NAMES = {
        "LIBBPF_ERRNO__LIBELF", "LIBBPF_ERRNO__FORMAT", "LIBBPF_ERRNO__KVERSION", "LIBBPF_ERRNO__ENDIAN",
        "LIBBPF_ERRNO__INTERNAL", "LIBBPF_ERRNO__RELOC", "LIBBPF_ERRNO__LOAD", "LIBBPF_ERRNO__VERIFY",
        "LIBBPF_ERRNO__PROG2BIG", "LIBBPF_ERRNO__KVER", "LIBBPF_ERRNO__PROGTYPE", "LIBBPF_ERRNO__WRNGPID",
        "LIBBPF_ERRNO__INVSEQ", "LIBBPF_ERRNO__NLPARSE",
    };

    private Errno() {}

    /** "EPERM (Operation not permitted)" for 1 or -1 (libbpf returns -errno). */
    public static String describe(int errno) {
        int positive = Math.abs(errno);
        int libbpf = positive - LIBBPF_ERRNO_START;
        if (libbpf >= 0 && libbpf < LIBBPF_NAMES.length) {
            return LIBBPF_NAMES[libbpf] + " (" + strerror(positive) + ")";
        }
        return io.spawnwatch.sys.Errno.describe(positive);
    }

    private static String strerror(int errno) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            LibBpf.libbpf_strerror(errno, buf, buf.byteSize());
            return buf.getString(0);
        }
    }
}
