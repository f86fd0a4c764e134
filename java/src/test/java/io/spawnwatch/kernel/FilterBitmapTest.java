package io.spawnwatch.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user-space side of the kernel's filter bitmaps, over plain native memory (KernelProbesTest: the real maps). */
class FilterBitmapTest {
    @Test
    void shouldSetBitNOfWordNDiv64AsTheKernelReadsIt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment words = arena.allocate(ValueLayout.JAVA_LONG, 4);
            FilterBitmap bits = new FilterBitmap(words);

            bits.set(0);
            bits.set(63);
            bits.set(64 + 5);
            bits.set(200);

            // maybe_set() in bpf/spawnwatch.bpf.c: (word[n / 64] >> (n % 64)) & 1
            assertEquals(1L | 1L << 63, words.getAtIndex(ValueLayout.JAVA_LONG, 0));
            assertEquals(1L << 5, words.getAtIndex(ValueLayout.JAVA_LONG, 1));
            assertEquals(1L << (200 - 192), words.getAtIndex(ValueLayout.JAVA_LONG, 3));
            assertTrue(bits.mayContain(69));
            assertFalse(bits.mayContain(68));
            assertEquals(256, bits.bits());
        }
    }

    @Test
    void shouldClearOnlyItsOwnBit() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment words = arena.allocate(ValueLayout.JAVA_LONG, 2);
            FilterBitmap bits = new FilterBitmap(words);
            bits.set(70);
            bits.set(71);

            bits.clear(70);

            assertFalse(bits.mayContain(70));
            assertTrue(bits.mayContain(71));
            assertEquals(1L << 7, words.getAtIndex(ValueLayout.JAVA_LONG, 1));
        }
    }

    @Test
    void shouldAnswerMaybeForKeysPastTheEndAndLeaveTheWordsAlone() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment words = arena.allocate(ValueLayout.JAVA_LONG, 1);
            FilterBitmap bits = new FilterBitmap(words);

            bits.set(64);
            bits.clear(64);
            bits.set(-1);

            assertTrue(bits.mayContain(64), "past the end the kernel asks the hash: so does this");
            assertEquals(0L, words.getAtIndex(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Test
    void shouldSizeOneBitPerKeyInWholeWords() {
        assertEquals(512, FilterBitmap.wordsFor(32768));
        assertEquals(513, FilterBitmap.wordsFor(32769));
        assertEquals(1, FilterBitmap.wordsFor(1));
        assertEquals(65536, FilterBitmap.wordsFor(KernelProbes.PID_MAX_LIMIT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FilterBitmap.wordsFor(0));
        assertEquals("filter bitmap: keys=0: expected 1 to 137438953408", e.getMessage());
    }

    @Test
    void shouldRefuseMemoryThatIsNotWholeWords() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment odd = arena.allocate(12, 8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FilterBitmap(odd));
            assertTrue(e.getMessage().startsWith("filter bitmap: byteSize=12 address="), e.getMessage());
        }
    }

    @Test
    void shouldReadPidMaxAndFallBackToTheLimitOnNonsense(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pid_max");
        Files.writeString(file, "4194304\n");
        assertEquals(4194304, KernelProbes.pidMax(file));
        Files.writeString(file, "99999\n");
        assertEquals(99999, KernelProbes.pidMax(file));
        Files.writeString(file, "lots\n");
        assertEquals(KernelProbes.PID_MAX_LIMIT, KernelProbes.pidMax(file));
        Files.writeString(file, "0\n");
        assertEquals(KernelProbes.PID_MAX_LIMIT, KernelProbes.pidMax(file));
        assertEquals(KernelProbes.PID_MAX_LIMIT, KernelProbes.pidMax(dir.resolve("absent")));
    }
}
