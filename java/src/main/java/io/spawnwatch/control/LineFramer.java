package io.spawnwatch.control;

import java.io.IOException;
import java.util.Arrays;

/**
 * Splits received bytes into lines of at most {@code maxLine} bytes (newline
 * excluded, a trailing CR dropped). A longer line is reported once, as soon as
 * it passes the limit, and then discarded up to its newline, so that the next
 * line is read normally: one oversized request never costs the connection.
 */
final class LineFramer {
    interface Sink {
        void line(byte[] buf, int length) throws IOException;

        void oversized() throws IOException;
    }

    private final int maxLine;
    private byte[] line = new byte[1024];
    private int length;
    private boolean discarding;

    LineFramer(int maxLine) {
        this.maxLine = maxLine;
    }

    void feed(byte[] data, int count, Sink sink) throws IOException {
        int start = 0;
        for (int i = 0; i < count; i++) {
            if (data[i] == '\n') {
                append(data, start, i - start, sink);
                end(sink);
                start = i + 1;
            }
        }
        append(data, start, count - start, sink);
    }

    private void append(byte[] data, int from, int count, Sink sink) throws IOException {
        if (discarding || count == 0) {
            return;
        }
        // A CR right before the newline does not count against the limit.
        int limit = maxLine + 1;
        if (length + count > limit) {
            discarding = true;
            length = 0;
            sink.oversized();
            return;
        }
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.min(limit, Math.max(line.length * 2, length + count)));
        }
        System.arraycopy(data, from, line, length, count);
        length += count;
    }

    private void end(Sink sink) throws IOException {
        if (discarding) {
            discarding = false;
            return;
        }
        int n = length;
        length = 0;
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        if (n > maxLine) {
            sink.oversized();
            return;
        }
        sink.line(line, n);
    }
}
