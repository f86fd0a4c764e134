package io.spawnwatch.sys;

import java.io.IOException;

/**
 * A native call failed with an errno. The message follows libbpf's shape,
 * "component: what failed for which object: ERRNO (strerror)", e.g.
 * {@code "ring: mmap producer pages of map fd=7: EPERM (Operation not permitted)"}.
 */
public final class NativeException extends IOException {
    private final int errno;

    /**
     * @param context "component: what failed for which object", without the errno part
     * @param errno   the positive errno value the call reported
     */
    public NativeException(String context, int errno) {
        super(context + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    /**
     * For libbpf-style functions that return {@code -errno}: returns {@code result}
     * when it is not negative, otherwise throws with {@code -result} as errno.
     */
    public static int check(int result, String context) throws NativeException {
        if (result < 0) {
            throw new NativeException(context, -result);
        }
        return result;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, e.g. {@code "EBADF"}. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
