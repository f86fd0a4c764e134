package io.spawnwatch.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A non-blocking {@code eventfd}: one thread {@link #signal}s, another, which
 * watches the fd with epoll, wakes up and {@link #drain}s it. Used to stop a
 * thread blocked in {@code epoll_wait} without a timeout loop.
 */
public final class EventFd implements AutoCloseable {
    private static final int EFD_CLOEXEC = LibC.O_CLOEXEC;
    private static final int EFD_NONBLOCK = LibC.O_NONBLOCK;
    private static final MethodHandle EVENTFD = LibC.downcall("eventfd", true,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final int fd;
    private final Arena arena;
    /** Holds 1: writers only read it, so concurrent {@link #signal}s may share it. */
    private final MemorySegment one;
    /** Where {@link #drain} reads the counter; used by the draining thread only. */
    private final MemorySegment counter;
    private final String signalContext;
    private final String drainContext;
    private final String closeContext;

    /** @param component prefix of error messages, e.g. "ring" */
    public EventFd(String component) throws NativeException {
        this.fd = create(component);
        this.arena = Arena.ofShared();
        this.one = arena.allocate(ValueLayout.JAVA_LONG);
        this.one.set(ValueLayout.JAVA_LONG, 0, 1L);
        this.counter = arena.allocate(ValueLayout.JAVA_LONG);
        this.signalContext = component + ": write eventfd fd=" + fd;
        this.drainContext = component + ": read eventfd fd=" + fd;
        this.closeContext = component + ": close eventfd fd=" + fd;
    }

    public int fd() {
        return fd;
    }

    /** Adds 1 to the counter, which makes the fd readable. */
    public void signal() throws NativeException {
        LibC.write(fd, one, signalContext);
    }

    /** Resets the counter and returns its value, 0 when it was not signalled. */
    public long drain() throws NativeException {
        try {
            LibC.read(fd, counter, drainContext);
        } catch (NativeException e) {
            if (e.errno() == Errno.EAGAIN) {
                return 0;
            }
            throw e;
        }
        return counter.get(ValueLayout.JAVA_LONG, 0);
    }

    @Override
    public void close() throws NativeException {
        arena.close();
        LibC.close(fd, closeContext);
    }

    private static int create(String component) throws NativeException {
        MemorySegment state = LibC.callState();
        int result;
        try {
            result = (int) EVENTFD.invokeExact(state, 0, EFD_CLOEXEC | EFD_NONBLOCK);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
        LibC.check(result, state, component + ": eventfd");
        return result;
    }
}
