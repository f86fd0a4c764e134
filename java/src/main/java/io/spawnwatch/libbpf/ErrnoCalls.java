package io.spawnwatch.libbpf;

import io.spawnwatch.sys.Errno;

import io.spawnwatch.libbpf.jextract.LibBpf;
import io.spawnwatch.sys.LibC;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls for the libbpf functions that report failure as NULL plus errno.
 * The generated bindings cannot see errno (the JVM may clobber it between the
 * call and a later read), so these capture it with
 * {@code Linker.Option.captureCallState("errno")} into the calling thread's
 * segment, {@link LibC#callState()}: never one shared static segment, which
 * would race between threads.
 */
final class ErrnoCalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN_MEM = LINKER.downcallHandle(
            LibBpf.bpf_object__open_mem$address(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS),
            CAPTURE_ERRNO);
    private static final MethodHandle PROGRAM_ATTACH = LINKER.downcallHandle(
            LibBpf.bpf_program__attach$address(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS),
            CAPTURE_ERRNO);

    /** Not in the generated allowlist: looked up by name in the same library. */
    private static final MethodHandle PROGRAM_ATTACH_CGROUP = LINKER.downcallHandle(
            java.lang.foreign.SymbolLookup.libraryLookup("libbpf.so.1", java.lang.foreign.Arena.global())
                    .findOrThrow("bpf_program__attach_cgroup"),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            CAPTURE_ERRNO);

    private ErrnoCalls() {}

    static Result attachCgroup(MemorySegment program, int cgroupFd) {
        MemorySegment state = LibC.callState();
        try {
            MemorySegment link = (MemorySegment) PROGRAM_ATTACH_CGROUP.invokeExact(state, program, cgroupFd);
            return new Result(link, LibC.errno(state));
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    /** A pointer result together with the errno captured right after the call. */
    record Result(MemorySegment pointer, int errno) {
        boolean failed() {
            return pointer.equals(MemorySegment.NULL);
        }
    }

    static Result openMem(MemorySegment buf, long size, MemorySegment opts) {
        MemorySegment state = LibC.callState();
        try {
            MemorySegment obj = (MemorySegment) OPEN_MEM.invokeExact(state, buf, size, opts);
            return new Result(obj, LibC.errno(state));
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    static Result attach(MemorySegment program) {
        MemorySegment state = LibC.callState();
        try {
            MemorySegment link = (MemorySegment) PROGRAM_ATTACH.invokeExact(state, program);
            return new Result(link, LibC.errno(state));
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }
}
