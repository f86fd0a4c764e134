package io.spawnwatch.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Test memory laid out as a BPF ring buffer mapping, with the data pages
 * really mapped twice: a memfd holds [consumer page][producer page][data], and
 * the data is mapped a second time right after the first, as the kernel does.
 * A write that runs past the end of the first copy lands at the start of the
 * data, so wrapped records behave exactly as they do over a real map.
 *
 * <p>All three segments are writable: the test is the producer.
 */
public final class DoubleMappedRing implements AutoCloseable {
    private static final int MFD_CLOEXEC = 1;
    private static final MethodHandle MEMFD_CREATE = LibC.downcall("memfd_create", true,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle FTRUNCATE = LibC.downcall("ftruncate", true,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));

    private final Arena arena = Arena.ofShared();
    private final int memfd;
    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;

    /** @param dataSize a power of two, multiple of the page size */
    public DoubleMappedRing(long dataSize) throws NativeException {
        long page = LibC.pageSize();
        memfd = memfdCreate("spawnwatch-test-ring");
        try {
            ftruncate(memfd, 2 * page + dataSize);
            consumerPage = LibC.mmap(arena, page, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, memfd, 0,
                    "test: mmap consumer page of memfd=" + memfd);
            MemorySegment producerAndData = mapTwice(page, dataSize);
            producerPage = producerAndData.asSlice(0, page);
            data = producerAndData.asSlice(page, 2 * dataSize);
        } catch (NativeException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public MemorySegment consumerPage() {
        return consumerPage;
    }

    public MemorySegment producerPage() {
        return producerPage;
    }

    /** The data area, 2 * dataSize bytes, whose second half is the first one again. */
    public MemorySegment data() {
        return data;
    }

    @Override
    public void close() throws NativeException {
        arena.close();
        LibC.close(memfd, "test: close memfd=" + memfd);
    }

    /** Reserves address space, then maps producer page + data, then the data again behind it. */
    private MemorySegment mapTwice(long page, long dataSize) throws NativeException {
        long length = page + 2 * dataSize;
        MemorySegment base = LibC.mmap(arena, length, LibC.PROT_NONE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS,
                -1, 0, "test: reserve address space");
        int rw = LibC.PROT_READ | LibC.PROT_WRITE;
        int fixed = LibC.MAP_SHARED | LibC.MAP_FIXED;
        LibC.mmap(base, page + dataSize, rw, fixed, memfd, page, "test: mmap producer page and data of memfd="
                + memfd);
        LibC.mmap(base.asSlice(page + dataSize), dataSize, rw, fixed, memfd, 2 * page,
                "test: mmap data again of memfd=" + memfd);
        return base;
    }

    private static int memfdCreate(String name) throws NativeException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = LibC.callState();
            int fd = (int) MEMFD_CREATE.invokeExact(state, call.allocateFrom(name), MFD_CLOEXEC);
            LibC.check(fd, state, "test: memfd_create name=" + name);
            return fd;
        } catch (NativeException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
    }

    private static void ftruncate(int fd, long length) throws NativeException {
        MemorySegment state = LibC.callState();
        int result;
        try {
            result = (int) FTRUNCATE.invokeExact(state, fd, length);
        } catch (Throwable t) {
            throw LibC.unexpected(t);
        }
        LibC.check(result, state, "test: ftruncate memfd=" + fd + " length=" + length);
    }
}
