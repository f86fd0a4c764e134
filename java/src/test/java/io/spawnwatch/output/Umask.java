package io.spawnwatch.output;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** The process umask, set through libc's umask(2) for the length of a try block; restored on close. */
final class Umask implements AutoCloseable {
    private static final MethodHandle UMASK = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("umask").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final int previous;

    Umask(int mask) {
        previous = set(mask);
    }

    private static int set(int mask) {
        try {
            return (int) UMASK.invokeExact(mask);
        } catch (Throwable t) {
            throw new AssertionError("umask(2) failed", t);
        }
    }

    @Override
    public void close() {
        set(previous);
    }
}
