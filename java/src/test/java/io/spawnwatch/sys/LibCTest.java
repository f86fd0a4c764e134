package io.spawnwatch.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LibCTest {

    @Test
    void shouldFormatAFailedCloseWithContextErrnoNameAndStrerror() {
        NativeException e = assertThrows(NativeException.class, () -> LibC.close(-1, "test: close fd=-1"));

        assertEquals("test: close fd=-1: EBADF (Bad file descriptor)", e.getMessage());
        assertEquals(Errno.EBADF, e.errno());
    }

    @Test
    void shouldReportEinvalForAZeroLengthMmap() {
        NativeException e = assertThrows(NativeException.class, () -> LibC.mmap(Arena.ofAuto(), 0,
                LibC.PROT_READ, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0, "test: mmap length=0"));

        assertEquals("test: mmap length=0: EINVAL (Invalid argument)", e.getMessage());
    }

    @Test
    void shouldMapAndUnmapAnonymousMemoryWithTheArena() throws NativeException {
        MemorySegment mapped;
        try (Arena arena = Arena.ofConfined()) {
            mapped = LibC.mmap(arena, LibC.pageSize(), LibC.PROT_READ | LibC.PROT_WRITE,
                    LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0, "test: mmap anonymous");
            mapped.set(ValueLayout.JAVA_LONG, 8, 42L);
            assertEquals(42L, mapped.get(ValueLayout.JAVA_LONG, 8));
        }
        assertThrows(IllegalStateException.class, () -> mapped.get(ValueLayout.JAVA_LONG, 8));
    }

    @Test
    void shouldReadThePageSize() {
        assertEquals(0, Long.bitCount(LibC.pageSize()) - 1);
        assertEquals(true, LibC.pageSize() >= 4096);
    }

    @Test
    void shouldCaptureErrnoPerThreadWhenThreadsFailDifferently() throws Exception {
        Callable<Integer> badFd = () -> repeatFailure(() -> LibC.close(-1, "test: close"), Errno.EBADF);
        Callable<Integer> badLength = () -> repeatFailure(() -> LibC.mmap(MemorySegment.NULL, 0, LibC.PROT_READ,
                LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0, "test: mmap"), Errno.EINVAL);
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<Integer> a = threads.submit(badFd);
            Future<Integer> b = threads.submit(badLength);

            assertEquals(20_000, a.get());
            assertEquals(20_000, b.get());
        }
    }

    private interface FailingCall {
        void run() throws NativeException;
    }

    /** Counts the calls that failed with exactly {@code expected}. */
    private static int repeatFailure(FailingCall call, int expected) {
        int matching = 0;
        for (int i = 0; i < 20_000; i++) {
            try {
                call.run();
            } catch (NativeException e) {
                matching += e.errno() == expected ? 1 : 0;
            }
        }
        return matching;
    }
}
