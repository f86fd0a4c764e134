package io.spawnwatch.sys;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Hand-written downcalls to the few libc functions the sensor needs beside libbpf.
 *
 * <p>Every function that reports failure as {@code -1} + errno is linked with
 * {@code captureCallState("errno")}: the JVM itself may call into libc between
 * our call and a later {@code errno} read, so errno must be captured by the
 * downcall. The capture segment is per thread ({@link #callState()}), never one
 * shared static segment, because the sensor calls these from several threads.
 * Failures become a {@link NativeException}; the caller passes the
 * "component: what failed for which object" part of its message, precomputed
 * when the call sits on a hot path.
 */
public final class LibC {
    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    /** O_CLOEXEC, the value EPOLL_CLOEXEC and EFD_CLOEXEC share. */
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_NONBLOCK = 0x800;

    private static final int SC_PAGESIZE = 30;
    private static final long MAP_FAILED = -1L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = MethodHandles.insertCoordinates(
            CALL_STATE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno")), 1, 0L);
    private static final ThreadLocal<MemorySegment> CALL_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE_LAYOUT));

    private static final AddressLayout C_POINTER = ValueLayout.ADDRESS;
    private static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

    private static final MethodHandle MMAP = downcall("mmap", true,
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_LONG, C_INT, C_INT, C_INT, C_LONG));
    private static final MethodHandle MUNMAP = downcall("munmap", true,
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG));
    private static final MethodHandle CLOSE = downcall("close", true,
            FunctionDescriptor.of(C_INT, C_INT));
    private static final MethodHandle READ = downcall("read", true,
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle WRITE = downcall("write", true,
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle SYSCONF = downcall("sysconf", false,
            FunctionDescriptor.of(C_LONG, C_INT));
    private static final MethodHandle STRERROR = downcall("strerror", false,
            FunctionDescriptor.of(C_POINTER.withTargetLayout(
                    MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE)), C_INT));

    private static final long PAGE_SIZE = sysconf(SC_PAGESIZE);

    private LibC() {}

    /** The system page size, {@code sysconf(_SC_PAGESIZE)}. */
    public static long pageSize() {
        return PAGE_SIZE;
    }

    /**
     * {@code mmap(NULL, length, prot, flags, fd, offset)}; the mapping is
     * unmapped when {@code arena} closes.
     */
    public static MemorySegment mmap(Arena arena, long length, int prot, int flags, int fd, long offset,
                                     String context) throws NativeException {
        MemorySegment address = mmap(MemorySegment.NULL, length, prot, flags, fd, offset, context);
        return address.reinterpret(length, arena, mapped -> munmapOnClose(mapped, length));
    }

    /**
     * The raw {@code mmap}: returns the mapping's address as a zero-length
     * segment, which the caller must {@link #munmap} itself.
     */
    public static MemorySegment mmap(MemorySegment address, long length, int prot, int flags, int fd,
                                     long offset, String context) throws NativeException {
        MemorySegment state = callState();
        MemorySegment mapped;
        try {
            mapped = (MemorySegment) MMAP.invokeExact(state, address, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (mapped.address() == MAP_FAILED) {
            throw new NativeException(context, errno(state));
        }
        return mapped;
    }

    /** {@code munmap(address, length)}. */
    public static void munmap(MemorySegment address, long length, String context) throws NativeException {
        MemorySegment state = callState();
        int result;
        try {
            result = (int) MUNMAP.invokeExact(state, address, length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check(result, state, context);
    }

    /** {@code close(fd)}. Not retried on EINTR: on Linux the fd is gone either way. */
    public static void close(int fd, String context) throws NativeException {
        MemorySegment state = callState();
        int result;
        try {
            result = (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        check(result, state, context);
    }

    /** {@code read(fd, buffer, buffer.byteSize())}; returns the byte count. */
    public static long read(int fd, MemorySegment buffer, String context) throws NativeException {
        MemorySegment state = callState();
        long result;
        try {
            result = (long) READ.invokeExact(state, fd, buffer, buffer.byteSize());
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (result < 0) {
            throw new NativeException(context, errno(state));
        }
        return result;
    }

    /** {@code write(fd, buffer, buffer.byteSize())}; returns the byte count. */
    public static long write(int fd, MemorySegment buffer, String context) throws NativeException {
        MemorySegment state = callState();
        long result;
        try {
            result = (long) WRITE.invokeExact(state, fd, buffer, buffer.byteSize());
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (result < 0) {
            throw new NativeException(context, errno(state));
        }
        return result;
    }

    /** libc's text for an errno, e.g. "Bad file descriptor". */
    public static String strerror(int errno) {
        try {
            // glibc >= 2.32 returns a constant string (or a thread-local buffer for unknown values).
            return ((MemorySegment) STRERROR.invokeExact(errno)).getString(0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * This thread's errno capture segment, the first argument of every downcall
     * linked with {@link #downcall(String, boolean, FunctionDescriptor) captureErrno}.
     * Read it with {@link #errno(MemorySegment)} right after the call.
     */
    public static MemorySegment callState() {
        return CALL_STATE.get();
    }

    /** The errno a downcall captured into {@code state}. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state);
    }

    /**
     * Links a libc function. With {@code captureErrno} the handle takes the
     * {@link #callState()} segment as an extra first argument.
     */
    public static MethodHandle downcall(String name, boolean captureErrno, FunctionDescriptor descriptor) {
        MemorySegment symbol = LOOKUP.findOrThrow(name);
        return captureErrno
                ? LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"))
                : LINKER.downcallHandle(symbol, descriptor);
    }

    /** Throws when a {@code -1}-on-failure call failed. */
    static void check(int result, MemorySegment state, String context) throws NativeException {
        if (result == -1) {
            throw new NativeException(context, errno(state));
        }
    }

    /**
     * A downcall handle declares {@code Throwable}, but a native function cannot
     * throw: anything here is a JVM-level problem, passed on unchanged.
     */
    public static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("sys: unexpected exception from a downcall", t);
    }

    private static long sysconf(int name) {
        try {
            return (long) SYSCONF.invokeExact(name);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static void munmapOnClose(MemorySegment mapped, long length) {
        try {
            munmap(mapped, length, "sys: munmap address=0x" + Long.toHexString(mapped.address())
                    + " length=" + length);
        } catch (NativeException e) {
            // An arena cleanup cannot throw a checked exception; a failed munmap only leaks.
            System.getLogger(LibC.class.getName()).log(System.Logger.Level.WARNING, e.getMessage());
        }
    }
}
