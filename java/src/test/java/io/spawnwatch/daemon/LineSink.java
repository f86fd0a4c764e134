package io.spawnwatch.daemon;

import io.spawnwatch.output.Document;
import io.spawnwatch.output.DocumentKind;
import io.spawnwatch.output.QueuedSink;
import java.util.function.Consumer;

/** A real QueuedSink whose writer hands each document's line (newline included) to the test. */
final class LineSink extends QueuedSink {
    private final Consumer<byte[]> lines;

    /** Takes alerts and events. */
    LineSink(Consumer<byte[]> lines) {
        super("test", 65536);
        this.lines = lines;
    }

    @Override
    public boolean wants(DocumentKind kind) {
        return kind == DocumentKind.ALERT || kind == DocumentKind.EVENT;
    }

    @Override
    protected void write(Document d) {
        lines.accept(d.line());
    }
}
