package io.spawnwatch.kernel;

import io.spawnwatch.sys.LibC;
import io.spawnwatch.sys.NativeException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The root of the cgroup v2 hierarchy, opened as a directory fd for attaching
 * cgroup programs: a program attached there sees every process of the host
 * (its effective programs are inherited by every descendant cgroup). Found in
 * /proc/self/mountinfo: /sys/fs/cgroup on a unified host, /sys/fs/cgroup/unified
 * on a hybrid one (cgroup v1 controllers beside a v2 hierarchy).
 */
final class CgroupRoot implements AutoCloseable {
    static final String PATH = "/sys/fs/cgroup";
    static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_CLOEXEC = 02000000;
    private static final MethodHandle OPEN = LibC.downcall("open", true,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private final int fd;

    private CgroupRoot(int fd) {
        this.fd = fd;
    }

    /**
     * The mount point of the cgroup v2 hierarchy's root in a mountinfo file
     * (proc(5): field 5 the mount point, field 4 the root within the file
     * system, and the file system type after the " - "), or null when none.
     */
    static String find(List<String> mountinfo) {
        for (String line : mountinfo) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] before = line.substring(0, dash).split(" ");
            String[] after = line.substring(dash + 3).split(" ");
            if (before.length >= 5 && after.length >= 1 && after[0].equals("cgroup2") && before[3].equals("/")) {
                return before[4].replace("\\040", " ");
            }
        }
        return null;
    }

    /** Opens the cgroup v2 root; the message names the path and the errno. */
    static CgroupRoot open() throws NativeException {
        String path;
        try {
            path = find(Files.readAllLines(MOUNTINFO));
        } catch (IOException e) {
            throw new NativeException("cgroup: read " + MOUNTINFO, 2);
        }
        if (path == null) {
            throw new NativeException("cgroup: no cgroup2 file system mounted (" + MOUNTINFO + ")", 2);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LibC.callState();
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0) {
                int errno = LibC.errno(state);
                throw new NativeException("cgroup: open " + path, errno);
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
