package io.spawnwatch.kernel;

import io.spawnwatch.sys.LibC;
import io.spawnwatch.sys.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The root of the cgroup v2 hierarchy, opened as a directory fd for attaching
 * cgroup programs: a program attached there sees every process of the host
 * (its effective programs are inherited by every descendant cgroup).
 */
final class CgroupRoot implements AutoCloseable {
    static final String PATH = "/sys/fs/cgroup";
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_CLOEXEC = 02000000;
    private static final MethodHandle OPEN = LibC.downcall("open", true,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private final int fd;

    private CgroupRoot(int fd) {
        this.fd = fd;
    }

    /** Opens {@link #PATH}; the message names the path and the errno. */
    static CgroupRoot open() throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LibC.callState();
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(PATH), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0) {
                int errno = LibC.errno(state);
                throw new NativeException("cgroup: open " + PATH, errno);
            }
            return new CgroupRoot(fd);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    int fd() {
        return fd;
    }

    /** The links keep their own reference to the cgroup: the fd can go once they are made. */
    @Override
    public void close() {
        try {
            LibC.close(fd, "cgroup root");
        } catch (NativeException e) {
            // nothing left to do with a directory fd that does not close
        }
    }
}
