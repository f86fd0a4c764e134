package io.spawnwatch.bench;

import io.spawnwatch.libbpf.jextract.LibBpf;
import io.spawnwatch.libbpf.jextract.ring_buffer_sample_fn;
import io.spawnwatch.ring.RecordHandler;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * libbpf's consumer (ring_buffer__new / ring_buffer__consume) with a Java
 * upcall per record: the design the sensor avoids, measured here.
 *
 * <p>Two upcall shapes. {@link Shape#ADDRESS_AS_LONG} declares the sample
 * callback's {@code void *data} as a {@code long} (same register on the SysV
 * and AAPCS64 ABIs), so that no MemorySegment is made per record and the
 * handler reads through one global segment: the best an upcall can do.
 * {@link Shape#JEXTRACT} is the generated {@code ring_buffer_sample_fn}
 * binding as anyone would first write it: a zero-length segment per record,
 * reinterpreted to the record's size.
 */
final class LibBpfConsumer implements AutoCloseable {
    enum Shape { ADDRESS_AS_LONG, JEXTRACT }

    /** All of memory, so that a raw address is an offset. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final FunctionDescriptor SAMPLE_AS_LONG = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);

    private final Arena arena = Arena.ofShared();
    private final RecordHandler handler;
    private final MemorySegment ring;
    private volatile Throwable failure;

    LibBpfConsumer(int mapFd, RecordHandler handler, Shape shape) {
        this.handler = handler;
        MemorySegment callback = switch (shape) {
            case ADDRESS_AS_LONG -> {
                MethodHandle target;
                try {
                    target = MethodHandles.lookup().findVirtual(LibBpfConsumer.class, "onSample",
                            MethodType.methodType(int.class, long.class, long.class, long.class)).bindTo(this);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                yield Linker.nativeLinker().upcallStub(target, SAMPLE_AS_LONG, arena);
            }
            case JEXTRACT -> ring_buffer_sample_fn.allocate(this::onSampleSegment, arena);
        };
        this.ring = LibBpf.ring_buffer__new(mapFd, callback, MemorySegment.NULL, MemorySegment.NULL);
        if (ring.equals(MemorySegment.NULL)) {
            arena.close();
            throw new IllegalStateException("bench: ring_buffer__new failed for map fd=" + mapFd);
        }
    }

    /** ring_buffer__consume: drains every committed record; returns how many. */
    int consume() {
        int n = LibBpf.ring_buffer__consume(ring);
        if (n < 0) {
            throw new IllegalStateException("bench: ring_buffer__consume: " + n, failure);
        }
        return n;
    }

    // An exception must never escape an upcall (it ends the JVM): report it as
    // an error return, which stops ring_buffer__consume.
    private int onSample(long ctx, long data, long size) {
        try {
            handler.onRecord(ALL, data, (int) size);
            return 0;
        } catch (Throwable t) {
            failure = t;
            return -1;
        }
    }

    private int onSampleSegment(MemorySegment ctx, MemorySegment data, long size) {
        try {
            handler.onRecord(data.reinterpret(size), 0, (int) size);
            return 0;
        } catch (Throwable t) {
            failure = t;
            return -1;
        }
    }

    @Override
    public void close() {
        LibBpf.ring_buffer__free(ring);
        arena.close();
    }
}
