package io.spawnwatch.error;

/**
 * A libbpf call failed. The message follows libbpf's own form, "component:
 * what failed for which object: ERRNO (strerror)"; {@link #errno()} keeps the
 * positive errno value for callers that fall back on specific errors.
 */
public final class BpfException extends SpawnwatchException {
    private final int errno;

    public BpfException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The positive errno value, or 0 when none applies. */
    public int errno() {
        return errno;
    }
}
