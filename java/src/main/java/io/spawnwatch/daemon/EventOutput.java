package io.spawnwatch.daemon;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * NDJSON output: one document per line, written whole and flushed, so that a
 * reader of the file (or of stdout) never sees half a document. The document
 * is built in a reusable buffer and then written with one call.
 */
final class EventOutput implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    private final OutputStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(8192);
    private long written;
    private long failed;

    EventOutput(OutputStream out) {
        this.out = out;
    }

    /** A generator over the line buffer; call {@link #commit()} after the document. */
    JsonGenerator begin() throws IOException {
        line.reset();
        return JSON.createGenerator(line, JsonEncoding.UTF8);
    }

    /** Writes the finished document as one line; returns its bytes (for subscribers). */
    synchronized byte[] commit(JsonGenerator g) {
        try {
            g.close();
            line.write('\n');
            byte[] bytes = line.toByteArray();
            out.write(bytes);
            out.flush();
            written++;
            return bytes;
        } catch (IOException e) {
            failed++;
            return null;
        }
    }

    synchronized long written() {
        return written;
    }

    /** Documents that could not be written (e.g. a closed pipe): counted, never silent. */
    synchronized long failed() {
        return failed;
    }

    @Override
    public synchronized void close() throws IOException {
        out.flush();
    }
}
