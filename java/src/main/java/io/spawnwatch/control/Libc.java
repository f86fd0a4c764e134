package io.spawnwatch.control;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.spawnwatch.sys.LibC;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The few libc socket calls the control server needs, as FFM downcalls.
 *
 * <p>Every call that reports failure through {@code -1} + errno captures errno
 * into the calling thread's segment ({@link CallState}, from {@link LibC}, which
 * also links them and names errno values): never a shared static one, so two
 * connection threads cannot overwrite each other's errno. Constants are the
 * Linux x86-64/arm64 values.
 */
final class Libc {
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_PEERCRED = 17;
    static final int SO_PEERGROUPS = 59;
    static final int SHUT_WR = 1;
    static final int SHUT_RDWR = 2;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;

    /** struct sockaddr_un: sa_family_t sun_family; char sun_path[108]. */
    static final int SUN_PATH_OFFSET = 2;
    static final int SUN_PATH_MAX = 108;
    static final int SOCKADDR_UN_SIZE = SUN_PATH_OFFSET + SUN_PATH_MAX;

    /** struct ucred: pid_t pid; uid_t uid; gid_t gid (12 bytes). */
    static final int UCRED_SIZE = 12;

    private static final MethodHandle SOCKET = errnoCall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = errnoCall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = errnoCall("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = errnoCall("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 = errnoCall("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = errnoCall("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECV = errnoCall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SEND = errnoCall("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SHUTDOWN = errnoCall("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = errnoCall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CHMOD = errnoCall("chmod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CHOWN = errnoCall("chown", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private Libc() {}

    /** A libc function linked to capture errno into {@link LibC#callState()}. */
    private static MethodHandle errnoCall(String name, FunctionDescriptor descriptor) {
        return LibC.downcall(name, true, descriptor);
    }

    /**
     * The calling thread's errno capture segment ({@link LibC#callState()}):
     * each connection thread has its own, so none reads another's errno.
     */
    static final class CallState {
        private static final ThreadLocal<CallState> PER_THREAD =
                ThreadLocal.withInitial(() -> new CallState(LibC.callState()));

        final MemorySegment state;

        private CallState(MemorySegment state) {
            this.state = state;
        }

        /** The calling thread's errno segment. */
        static CallState current() {
            return PER_THREAD.get();
        }

        int value() {
            return LibC.errno(state);
        }
    }

    static int socket(CallState e, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(e.state, domain, type, protocol);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    static int bind(CallState e, int fd, MemorySegment addr, int len) {
        try {
            return (int) BIND.invokeExact(e.state, fd, addr, len);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    static int connect(CallState e, int fd, MemorySegment addr, int len) {
        try {
            return (int) CONNECT.invokeExact(e.state, fd, addr, len);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    static int listen(CallState e, int fd, int backlog) {
        try {
            return (int) LISTEN.invokeExact(e.state, fd, backlog);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    static int accept4(CallState e, int fd, int flags) {
        try {
            return (int) ACCEPT4.invokeExact(e.state, fd, MemorySegment.NULL, MemorySegment.NULL, flags);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    static int getsockopt(CallState e, int fd, int level, int name, MemorySegment value, MemorySegment len) {
        try {
            return (int) GETSOCKOPT.invokeExact(e.state, fd, level, name, value, len);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    static long recv(CallState e, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) RECV.invokeExact(e.state, fd, buf, len, flags);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    static long send(CallState e, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) SEND.invokeExact(e.state, fd, buf, len, flags);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    static int shutdown(CallState e, int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(e.state, fd, how);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    static int close(CallState e, int fd) {
        try {
            return (int) CLOSE.invokeExact(e.state, fd);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    static int chmod(CallState e, MemorySegment path, int mode) {
        try {
            return (int) CHMOD.invokeExact(e.state, path, mode);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    static int chown(CallState e, MemorySegment path, int uid, int gid) {
        try {
            return (int) CHOWN.invokeExact(e.state, path, uid, gid);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

}
