package io.spawnwatch.output.rotating;

import io.spawnwatch.output.Document;
import io.spawnwatch.output.DocumentKind;
import io.spawnwatch.output.QueuedSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * An NDJSON file that rotates by size and keeps a bounded number of rotated files, laid out the way logrotate
 * does with {@code delaycompress}, so Filebeat or Elastic Agent can tail {@code path} as it is:
 *
 * <pre>
 * path          the live file, appended one whole line per document, mode 0600
 * path.1        the previous file, renamed (same inode: a tailer that had it open reads it to the end)
 * path.2.gz ... path.N.gz   older files, compressed
 * </pre>
 *
 * <p>A document that would take the live file past {@code maxBytes} first rotates it (a single document larger
 * than that is written whole into a fresh file). Rotation renames {@code path} to {@code path.1}; the previous
 * {@code path.1} is compressed to {@code path.2.gz} on a background thread, so writing goes on meanwhile;
 * files past {@code maxFiles} are deleted. {@code maxFiles} counts rotated files ({@code path.1} included):
 * disk use is at most about {@code maxBytes * (maxFiles + 1)} before compression.
 */
public final class RotatingFileSink extends QueuedSink {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /**
     * @param path           the live file; its directory must exist
     * @param maxBytes       rotate before a document would take the file past this many bytes (at least 1)
     * @param maxFiles       rotated files kept, path.1 and path.2.gz..path.N.gz (at least 1)
     * @param gzip           compress path.2 and older (false keeps them as path.2 ... path.N)
     * @param kinds          the document kinds this file takes
     * @param queueDocuments the queue's capacity, in documents
     */
    public record Settings(Path path, long maxBytes, int maxFiles, boolean gzip, Set<DocumentKind> kinds,
            int queueDocuments) {
        public Settings {
            if (maxBytes < 1 || maxFiles < 1 || queueDocuments < 1) {
                throw new IllegalArgumentException("rotating file " + path + ": maxBytes=" + maxBytes + " maxFiles="
                        + maxFiles + " queueDocuments=" + queueDocuments + ", each expected at least 1");
            }
            kinds = Set.copyOf(kinds);
        }
    }

    private final Settings settings;
    private final ExecutorService compressor;
    private FileChannel channel; // writer thread only (and close)
    private long size;
    private Future<?> compressing;

    /** Opens (or creates, mode 0600) the live file for appending. */
    public RotatingFileSink(Settings settings) throws IOException {
        super("rotating_file:" + settings.path(), settings.queueDocuments());
        this.settings = settings;
        this.compressor = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform()
                .name("spawnwatch-gzip-" + settings.path().getFileName()).daemon(true).unstarted(r));
        open();
    }

    @Override
    public boolean wants(DocumentKind kind) {
        return settings.kinds().contains(kind);
    }

    @Override
    protected void write(Document d) throws IOException {
        byte[] line = d.line();
        if (size > 0 && size + line.length > settings.maxBytes()) {
            rotate();
        }
        ByteBuffer b = ByteBuffer.wrap(line);
        while (b.hasRemaining()) {
            channel.write(b);
        }
        size += line.length;
    }

    @Override
    protected void closeOutput() throws IOException {
        try {
            if (channel != null) {
                channel.close();
            }
        } finally {
            compressor.shutdown();
            try {
                compressor.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void open() throws IOException {
        Path p = settings.path();
        channel = FileChannel.open(p, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        // An existing file keeps its mode on open: alerts are not for every local user.
        Files.setPosixFilePermissions(p, OWNER_ONLY);
        size = channel.size();
    }

    /** path -> path.1, path.1 -> path.2(.gz) in the background, older ones shifted, the oldest deleted. */
    private void rotate() throws IOException {
        awaitCompression();
        channel.close();
        Path p = settings.path();
        int n = settings.maxFiles();
        String ext = settings.gzip() ? ".gz" : "";
        Files.deleteIfExists(rotated(n, ext));
        for (int k = n - 1; k >= 2; k--) {
            Path from = rotated(k, ext);
            if (Files.exists(from)) {
                Files.move(from, rotated(k + 1, ext), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path one = rotated(1, "");
        if (Files.exists(one)) {
            if (n == 1) {
                Files.delete(one);
            } else {
                Path previous = rotated(1, ".tmp-rotating");
                Files.move(one, previous, StandardCopyOption.REPLACE_EXISTING);
                Path target = rotated(2, ext);
                compressing = compressor.submit(() -> {
                    moveOrCompress(previous, target);
                    return null;
                });
            }
        }
        Files.move(p, one, StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private void moveOrCompress(Path from, Path to) throws IOException {
        if (!settings.gzip()) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        try (InputStream in = Files.newInputStream(from);
                OutputStream out = new FastGzip(Files.newOutputStream(Files.createFile(tmp,
                        PosixFilePermissions.asFileAttribute(OWNER_ONLY))))) {
            in.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(from);
    }

    /** Waits for the previous compression; its failure fails this write (counted, logged by the base class). */
    private void awaitCompression() throws IOException {
        if (compressing == null) {
            return;
        }
        try {
            compressing.get();
        } catch (ExecutionException e) {
            throw new IOException("compressing a rotated file: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for a rotated file's compression", e);
        } finally {
            compressing = null;
        }
    }

    private Path rotated(int k, String suffix) {
        return settings.path().resolveSibling(settings.path().getFileName() + "." + k + suffix);
    }

    /** gzip at the fastest level: rotated logs are compressed for space, once, in the background. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
