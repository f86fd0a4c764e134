package io.spawnwatch.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SegmentTextTest {

    @Test
    void shouldFindTheNulOfACommAtEveryPosition() {
        // Bytes around the NUL that a word-at-a-time scan could mistake for it: 0x01, 0x80, 0xff.
        byte[] pattern = {(byte) 0x80, 1, (byte) 0xff, 'a', 0x7f, (byte) 0x81, 'z', 2};
        try (Arena arena = Arena.ofConfined()) {
            for (int n = 0; n <= ProcessDescriptor.COMM_LENGTH; n++) {
                MemorySegment s = arena.allocate(3 + ProcessDescriptor.COMM_LENGTH); // odd offset: unaligned
                s.fill((byte) 'x');
                for (int i = 0; i < n; i++) {
                    s.set(ValueLayout.JAVA_BYTE, 3 + i, pattern[i % pattern.length]);
                }
                if (n < ProcessDescriptor.COMM_LENGTH) {
                    s.set(ValueLayout.JAVA_BYTE, 3 + n, (byte) 0);
                }
                SegmentText t = new SegmentText().wrapCString(s, 3, ProcessDescriptor.COMM_LENGTH);
                assertEquals(n, t.length(), "NUL at " + n);
                for (int i = 0; i < n; i++) {
                    assertEquals((char) (pattern[i % pattern.length] & 0xff), t.charAt(i), "char " + i + " of " + n);
                }
            }
        }
    }

    @Test
    void shouldReadArgvSeparatorsAsSpacesOnlyWhenAsked() {
        byte[] args = "sh\0-c\0id\0".getBytes(StandardCharsets.US_ASCII);
        MemorySegment s = MemorySegment.ofArray(args);
        assertEquals("sh -c id", new SegmentText().wrap(s, 0, 8, true).toString());
        SegmentText raw = new SegmentText().wrap(s, 0, 8, false);
        assertEquals(0, raw.charAt(2));
        byte[] out = new byte[4];
        assertEquals(4, new SegmentText().wrap(s, 0, 8, true).copyTo(out));
        assertArrayEquals("sh -".getBytes(StandardCharsets.US_ASCII), out);
    }

    @Test
    void shouldServeAViewLongerThanItsFirstBufferAndThenAShorterOne() {
        byte[] big = new byte[1000];
        java.util.Arrays.fill(big, (byte) 'a');
        big[999] = 'z';
        SegmentText t = new SegmentText();
        t.wrap(MemorySegment.ofArray(big), 0, 1000, false);
        assertEquals('z', t.charAt(999));
        t.wrap(MemorySegment.ofArray("/usr/bin/id".getBytes(StandardCharsets.US_ASCII)), 0, 11, false);
        assertEquals("/usr/bin/id", t.toString());
        assertEquals('d', t.charAt(10));
        assertThrows(IndexOutOfBoundsException.class, () -> t.charAt(11));
    }

    @Test
    void shouldReadAnArrayInPlace() {
        byte[] cmdline = "xxphp-fpm: pool www".getBytes(StandardCharsets.US_ASCII);
        SegmentText t = new SegmentText().wrap(cmdline, 2, cmdline.length - 2);
        assertEquals("php-fpm: pool www", t.toString());
        assertEquals('p', t.charAt(0));
        assertEquals(17, t.length());
    }
}
