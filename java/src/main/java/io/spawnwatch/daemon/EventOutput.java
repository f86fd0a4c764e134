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

    /** A generator over the line buffer; call {@link #finish} after the document. */
    JsonGenerator begin() throws IOException {
        line.reset();
        return JSON.createGenerator(line, JsonEncoding.UTF8);
    }

    /** Closes the document and returns it as one line, newline included. */
    byte[] finish(JsonGenerator g) throws IOException {
        g.close();
        line.write('\n');
        return line.toByteArray();
    }

    /** Writes one line whole and flushes; false (and counted) when the output failed. */
    synchronized boolean write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            written++;
            return true;
        } catch (IOException e) {
            failed++;
            return false;
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
