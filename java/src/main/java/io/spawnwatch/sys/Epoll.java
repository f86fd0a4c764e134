package io.spawnwatch.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * An epoll instance and its event buffer: {@code epoll_create1(EPOLL_CLOEXEC)},
 * {@code epoll_ctl(EPOLL_CTL_ADD)}, {@code epoll_wait}.
 *
 * <p>{@link #await} and the event accessors belong to one thread at a time (the
 * buffer is shared); {@link #add} and {@link #close} may come from another.
 */
public final class Epoll implements AutoCloseable {
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;

    private static final int EPOLL_CLOEXEC = LibC.O_CLOEXEC;
    private static final int EPOLL_CTL_ADD = 1;
    /** struct epoll_event is packed on x86_64 only (12 bytes), naturally aligned elsewhere (16). */
    private static final boolean PACKED = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> true;
        default -> false;
    };
    private static final long EVENT_SIZE = PACKED ? 12 : 16;
    private static final long DATA_OFFSET = PACKED ? 4 : 8;

    private static final MethodHandle EPOLL_CREATE1 = LibC.downcall("epoll_create1", true,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle EPOLL_CTL = LibC.downcall("epoll_ctl", true,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle EPOLL_WAIT = LibC.downcall("epoll_wait", true,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final String component;
    private final int fd;
    private final int capacity;
    private final Arena arena;
    private final MemorySegment events;
    private final String waitContext;

    /**
     * @param component prefix of error messages, e.g. "ring"
     * @param capacity  the most events one {@link #await} returns
     */
    public Epoll(String component, int capacity) throws NativeException {
        if (capacity <= 0) {
            throw new IllegalArgumentException(component + ": epoll capacity must be positive: capacity="
                    + capacity);
        }
        this.component = component;
        this.capacity = capacity;
        this.fd = create(component);
        this.arena = Arena.ofShared();
        this.events = arena.allocate(EVENT_SIZE * capacity, 8);
        this.waitContext = component + ": epoll_wait on epoll fd=" + fd;
    }

    /** The epoll file descriptor. */
    public int fd() {
        return fd;
    }

    /**
     * Watches {@code target} for {@code eventMask}; {@link #token(int)} returns
     * {@code token} for its events. {@code what} names the target in messages,
     * e.g. "map fd=7".
     */
    public void add(int target, int eventMask, long token, String what) throws NativeException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment event = call.allocate(EVENT_SIZE, 8);
            event.set(ValueLayout.JAVA_INT, 0, eventMask);
            event.set(ValueLayout.JAVA_LONG_UNALIGNED, DATA_OFFSET, token);
            MemorySegment state = LibC.callState();
            int result;
            try {
                result = (int) EPOLL_CTL.invokeExact(state, fd, EPOLL_CTL_ADD, target, event);
            } catch (Throwable t) {
                throw LibC.unexpected(t);
            }
            LibC.check(result, state, component + ": epoll_ctl ADD " + what + " to epoll fd=" + fd);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) and returns how many
     * events are ready, 0 on timeout or when a signal interrupted the wait.
     */
    public int await(int timeoutMillis) throws NativeException {
        MemorySegment state = LibC.callState();
        int ready;
        try {
            ready = (int) EPOLL_WAIT.invokeExact(state, fd, events, capacity, timeoutMillis);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
        if (ready >= 0) {
            return ready;
        }
        int errno = LibC.errno(state);
        if (errno == Errno.EINTR) {
            return 0;
        }
        throw new NativeException(waitContext, errno);
    }

    /** The token given to {@link #add} for ready event {@code index}. */
    public long token(int index) {
        return events.get(ValueLayout.JAVA_LONG_UNALIGNED, index * EVENT_SIZE + DATA_OFFSET);
    }

    /** The ready event mask (EPOLLIN, EPOLLERR, ...) of ready event {@code index}. */
    public int readyEvents(int index) {
        return events.get(ValueLayout.JAVA_INT, index * EVENT_SIZE);
    }

    @Override
    public void close() throws NativeException {
        arena.close();
        LibC.close(fd, component + ": close epoll fd=" + fd);
    }

    private static int create(String component) throws NativeException {
        MemorySegment state = LibC.callState();
        int result;
        try {
            result = (int) EPOLL_CREATE1.invokeExact(state, EPOLL_CLOEXEC);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
        LibC.check(result, state, component + ": epoll_create1");
        return result;
    }
}
