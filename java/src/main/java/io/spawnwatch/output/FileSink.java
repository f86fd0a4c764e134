package io.spawnwatch.output;

import io.spawnwatch.files.IoErrors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The documents appended to a file ({@code run --output FILE}), one per line, each line whole (see
 * {@link LineChannel}): on a full filesystem a document fails whole, is counted and logged, and writing goes on
 * when space returns. The file is made mode 0600 whatever the umask (documents name users, commands and hosts),
 * or 0640 and owned by {@code group} when one is configured, so that a log shipper in that group can read it.
 */
public final class FileSink extends QueuedSink {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_AND_GROUP = PosixFilePermissions.fromString("rw-r-----");

    private final Set<DocumentKind> kinds;
    private final LineChannel out;

    /**
     * Opens (creating when missing) {@code path} for appending and sets its mode (and group).
     *
     * @param kinds    the kinds to write
     * @param capacity documents queued before more are dropped
     * @param group    a gid to own the file, with mode 0640; null for root's group and mode 0600
     * @throws IOException the file cannot be opened or its mode or group set; the message names the path
     */
    public FileSink(Path path, Set<DocumentKind> kinds, int capacity, Long group) throws IOException {
        FileChannel channel = open(path, group); // before the writer thread starts: a failure leaks nothing
        super("file:" + path, capacity);
        this.kinds = kinds.isEmpty() ? EnumSet.noneOf(DocumentKind.class) : EnumSet.copyOf(kinds);
        this.out = new LineChannel(channel, true);
    }

    private static FileChannel open(Path path, Long group) throws IOException {
        // Created 0600 (less with a stricter umask), then set exactly: chmod does not go through the umask.
        FileChannel channel;
        try {
            channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (IOException e) {
            String why = IoErrors.whyNotCreatable(path); // the directory, when that is what is wrong
            throw new IOException("output " + path + ": cannot open for appending: "
                    + (why != null ? why : IoErrors.describe(e)), e);
        }
        try {
            if (group != null) {
                Files.setAttribute(path, "unix:gid", group.intValue());
            }
            Files.setPosixFilePermissions(path, group != null ? OWNER_AND_GROUP : OWNER_ONLY);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("output " + path + ": cannot set its owner group and mode (" + (group != null
                    ? "gid " + group + ", 0640" : "0600") + "): " + (e instanceof IOException io ? IoErrors.describe(io)
                    : e.getMessage()), e);
        }
    }

    @Override
    public boolean wants(DocumentKind kind) {
        return kinds.contains(kind);
    }

    @Override
    protected void write(Document d) throws IOException {
        out.write(d.line());
    }

    @Override
    protected void closeOutput() throws IOException {
        out.close();
    }
}
