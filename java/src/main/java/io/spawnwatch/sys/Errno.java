package io.spawnwatch.sys;

/**
 * The one table of errno values: the constants the code compares with, and the
 * names messages print, so that they say {@code EPERM (Operation not
 * permitted)} rather than a bare number.
 *
 * <p>The numbers are the asm-generic ones, shared by x86_64 and arm64 (the only
 * architectures spawnwatch runs on). {@code ENOTSUPP} (524) is kernel-internal
 * but leaks out of BPF syscalls, so libbpf users see it; libbpf adds its own
 * codes from 4000 up (enum libbpf_errno in libbpf.h), named here too. Negative
 * values (libbpf returns -errno) are described as their positive.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EPIPE = 32;
    public static final int ERANGE = 34;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRINUSE = 98;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ECONNREFUSED = 111;
    public static final int ENOTSUPP = 524;

    private static final int LIBBPF_ERRNO_START = 4000;
    private static final String[] LIBBPF_NAMES = {
        "LIBBPF_ERRNO__LIBELF", "LIBBPF_ERRNO__FORMAT", "LIBBPF_ERRNO__KVERSION", "LIBBPF_ERRNO__ENDIAN",
        "LIBBPF_ERRNO__INTERNAL", "LIBBPF_ERRNO__RELOC", "LIBBPF_ERRNO__LOAD", "LIBBPF_ERRNO__VERIFY",
        "LIBBPF_ERRNO__PROG2BIG", "LIBBPF_ERRNO__KVER", "LIBBPF_ERRNO__PROGTYPE", "LIBBPF_ERRNO__WRNGPID",
        "LIBBPF_ERRNO__INVSEQ", "LIBBPF_ERRNO__NLPARSE",
    };

    private static final String[] NAMES = names();

    private Errno() {}

    /** The symbolic name, e.g. {@code "EBADF"}, or {@code "errno=N"} when unknown. */
    public static String name(int errno) {
        errno = Math.abs(errno);
        if (errno == ENOTSUPP) {
            return "ENOTSUPP";
        }
        if (errno >= LIBBPF_ERRNO_START && errno < LIBBPF_ERRNO_START + LIBBPF_NAMES.length) {
            return LIBBPF_NAMES[errno - LIBBPF_ERRNO_START];
        }
        if (errno > 0 && errno < NAMES.length && NAMES[errno] != null) {
            return NAMES[errno];
        }
        return "errno=" + errno;
    }

    /**
     * {@code "EBADF (Bad file descriptor)"}: the name and libc's text for it (for libbpf's own codes, which
     * libc does not know, "libbpf error N"); -EBADF says the same.
     */
    public static String describe(int errno) {
        int positive = Math.abs(errno);
        String text = positive >= LIBBPF_ERRNO_START && positive < LIBBPF_ERRNO_START + LIBBPF_NAMES.length
                ? "libbpf error " + positive : LibC.strerror(positive);
        return name(positive) + " (" + text + ")";
    }

    private static String[] names() {
        String[] n = new String[134];
        n[1] = "EPERM";
        n[2] = "ENOENT";
        n[3] = "ESRCH";
        n[4] = "EINTR";
        n[5] = "EIO";
        n[6] = "ENXIO";
        n[7] = "E2BIG";
        n[8] = "ENOEXEC";
        n[9] = "EBADF";
        n[10] = "ECHILD";
        n[11] = "EAGAIN";
        n[12] = "ENOMEM";
        n[13] = "EACCES";
        n[14] = "EFAULT";
        n[16] = "EBUSY";
        n[17] = "EEXIST";
        n[18] = "EXDEV";
        n[19] = "ENODEV";
        n[20] = "ENOTDIR";
        n[21] = "EISDIR";
        n[22] = "EINVAL";
        n[23] = "ENFILE";
        n[24] = "EMFILE";
        n[25] = "ENOTTY";
        n[26] = "ETXTBSY";
        n[27] = "EFBIG";
        n[28] = "ENOSPC";
        n[29] = "ESPIPE";
        n[30] = "EROFS";
        n[31] = "EMLINK";
        n[32] = "EPIPE";
        n[33] = "EDOM";
        n[34] = "ERANGE";
        n[35] = "EDEADLK";
        n[36] = "ENAMETOOLONG";
        n[37] = "ENOLCK";
        n[38] = "ENOSYS";
        n[39] = "ENOTEMPTY";
        n[40] = "ELOOP";
        n[61] = "ENODATA";
        n[62] = "ETIME";
        n[71] = "EPROTO";
        n[75] = "EOVERFLOW";
        n[77] = "EBADFD";
        n[88] = "ENOTSOCK";
        n[95] = "EOPNOTSUPP";
        n[97] = "EAFNOSUPPORT";
        n[98] = "EADDRINUSE";
        n[99] = "EADDRNOTAVAIL";
        n[100] = "ENETDOWN";
        n[101] = "ENETUNREACH";
        n[103] = "ECONNABORTED";
        n[104] = "ECONNRESET";
        n[105] = "ENOBUFS";
        n[107] = "ENOTCONN";
        n[110] = "ETIMEDOUT";
        n[111] = "ECONNREFUSED";
        n[113] = "EHOSTUNREACH";
        n[114] = "EALREADY";
        n[115] = "EINPROGRESS";
        n[116] = "ESTALE";
        n[122] = "EDQUOT";
        n[125] = "ECANCELED";
        n[133] = "EHWPOISON";
        return n;
    }
}
