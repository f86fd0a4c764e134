package io.spawnwatch.output;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * The documents on standard output, one per line. It writes to file descriptor 1 through a channel rather than
 * {@code System.out}, which swallows write errors: a closed pipe ({@code run --events | head -1}) or a full disk
 * under a redirect is counted and logged like any sink's error. It never closes descriptor 1.
 */
public final class StdoutSink extends QueuedSink {
    private final Set<DocumentKind> kinds;
    private final LineChannel out;

    /**
     * @param kinds    the kinds to write (ALERT, and EVENT with {@code --events})
     * @param capacity documents queued before more are dropped
     */
    public StdoutSink(Set<DocumentKind> kinds, int capacity) {
        super("stdout", capacity);
        this.kinds = kinds.isEmpty() ? EnumSet.noneOf(DocumentKind.class) : EnumSet.copyOf(kinds);
        // Not closed by us: the stream wraps fd 1, which stays open for the JVM's whole life.
        @SuppressWarnings("resource")
        FileOutputStream fd1 = new FileOutputStream(FileDescriptor.out);
        this.out = new LineChannel(fd1.getChannel(), Files.isRegularFile(Path.of("/proc/self/fd/1")));
    }

    @Override
    public boolean wants(DocumentKind kind) {
        return kinds.contains(kind);
    }

    @Override
    protected void write(Document d) throws IOException {
        out.write(d.line());
    }
}
