package io.spawnwatch.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Line framing, one-line documents, durations. */
class FramingTest {
    private final List<String> seen = new ArrayList<>();
    private final LineFramer.Sink sink = new LineFramer.Sink() {
        @Override
        public void line(byte[] buf, int length) {
            seen.add(new String(buf, 0, length, StandardCharsets.UTF_8));
        }

        @Override
        public void oversized() {
            seen.add("<oversized>");
        }
    };

    private void feed(LineFramer f, String s) throws Exception {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        f.feed(b, b.length, sink);
    }

    @Test
    void shouldSplitLinesAcrossChunksAndDropTheCarriageReturn() throws Exception {
        LineFramer f = new LineFramer(16);
        feed(f, "ab");
        feed(f, "c\r\nde\n\nf");
        feed(f, "g\n");
        assertEquals(List.of("abc", "de", "", "fg"), seen);
    }

    @Test
    void shouldReportAnOversizedLineOnceAndReadTheNextLineNormally() throws Exception {
        LineFramer f = new LineFramer(8);
        feed(f, "12345678\n");
        feed(f, "123456789");
        feed(f, "more and more");
        feed(f, "\nok\n");
        feed(f, "123456789\n");
        assertEquals(List.of("12345678", "<oversized>", "ok", "<oversized>"), seen);
    }

    @Test
    void shouldAcceptExactlyTheLimitFollowedByCrLf() throws Exception {
        LineFramer f = new LineFramer(4);
        feed(f, "abcd\r\n");
        assertEquals(List.of("abcd"), seen);
    }

    @Test
    void shouldKeepADocumentThatIsAlreadyOneLineAsItIs() {
        byte[] doc = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertSame(doc, StreamWriter.oneLine(doc));
        assertEquals("{\"a\":1}", new String(StreamWriter.oneLine("{\"a\":1}\n".getBytes()), StandardCharsets.UTF_8));
        assertEquals("{ \"a\": 1  }", new String(StreamWriter.oneLine("{\n\"a\": 1\r\n}\n".getBytes()),
                StandardCharsets.UTF_8));
    }

}
