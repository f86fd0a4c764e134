package io.spawnwatch.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes whole NDJSON lines to a channel. A line either lands whole or not at all: when a write to a regular
 * file fails part way (ENOSPC after some bytes went in), the file is cut back to where the line began, so the
 * next line never follows half a document. A pipe cannot be cut back; there a write fails part way only when
 * the reader is gone (EPIPE), and nothing follows.
 */
final class LineChannel implements AutoCloseable {
    private final FileChannel channel;
    private final boolean regularFile;

    /** @param regularFile whether the channel is a regular file (its size can be read and cut back) */
    LineChannel(FileChannel channel, boolean regularFile) {
        this.channel = channel;
        this.regularFile = regularFile;
    }

    /** Writes all of {@code line} (one document and its '\n'), or none of it and throws. */
    void write(byte[] line) throws IOException {
        long start = regularFile ? channel.size() : -1;
        ByteBuffer buffer = ByteBuffer.wrap(line);
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            if (start >= 0 && buffer.position() > 0) {
                try {
                    channel.truncate(start); // never shrinks below start: only our partial line goes
                } catch (IOException t) {
                    e.addSuppressed(t);
                    throw new IOException(e.getMessage() + "; and cutting the half-written line back failed: "
                            + t.getMessage(), e);
                }
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
