package io.spawnwatch.output.rotating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.output.Document;
import io.spawnwatch.output.DocumentKind;
import io.spawnwatch.output.SinkStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileSinkTest {
    @TempDir
    Path dir;

    /** A 100-byte document line: {"seq":N,"pad":"xxx..."}\n. */
    private static Document doc(int seq) {
        String head = "{\"seq\":" + seq + ",\"pad\":\"";
        String line = head + "x".repeat(100 - head.length() - 3) + "\"}\n";
        return new Document(DocumentKind.ALERT, line.getBytes(StandardCharsets.UTF_8), 0, 0, seq);
    }

    private RotatingFileSink sink(Path path, int maxFiles, boolean gzip) throws IOException {
        return new RotatingFileSink(new RotatingFileSink.Settings(path, 1000, maxFiles, gzip,
                Set.of(DocumentKind.ALERT), 1000));
    }

    @Test
    void shouldRotateBySizeKeepTheCountAndGzipAllButTheNewestRotatedFile() throws IOException {
        Path path = dir.resolve("alerts.ndjson");
        RotatingFileSink sink = sink(path, 3, true);
        for (int i = 0; i < 55; i++) {
            sink.offer(doc(i));
        }
        sink.close();
        assertEquals(new SinkStats(55, 55, 0, 0, 0), sink.stats());
        // 10 documents fill a file: 0-9, 10-19, 20-29, 30-39, 40-49 rotated; 50-54 live. Three kept.
        assertEquals(List.of("alerts.ndjson", "alerts.ndjson.1", "alerts.ndjson.2.gz", "alerts.ndjson.3.gz"),
                names());
        assertEquals(seqs(20, 30), lines(gunzip(dir.resolve("alerts.ndjson.3.gz"))));
        assertEquals(seqs(30, 40), lines(gunzip(dir.resolve("alerts.ndjson.2.gz"))));
        assertEquals(seqs(40, 50), lines(Files.readAllBytes(dir.resolve("alerts.ndjson.1"))));
        assertEquals(seqs(50, 55), lines(Files.readAllBytes(path)));
        for (String name : names()) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))),
                    name);
        }
    }

    @Test
    void shouldKeepRotatedFilesUncompressedWhenGzipIsOff() throws IOException {
        Path path = dir.resolve("a.ndjson");
        RotatingFileSink sink = sink(path, 2, false);
        for (int i = 0; i < 35; i++) {
            sink.offer(doc(i));
        }
        sink.close();
        assertEquals(List.of("a.ndjson", "a.ndjson.1", "a.ndjson.2"), names());
        assertEquals(seqs(10, 20), lines(Files.readAllBytes(dir.resolve("a.ndjson.2"))));
    }

    @Test
    void shouldLetATailerFinishTheRotatedFileThroughItsOpenHandle() throws IOException {
        Path path = dir.resolve("t.ndjson");
        RotatingFileSink sink = sink(path, 2, true);
        for (int i = 0; i < 5; i++) {
            sink.offer(doc(i));
        }
        awaitWritten(sink, 5);
        Object inode = Files.getAttribute(path, "unix:ino");
        // A tailer (Filebeat) holds the live file open, by inode, as rotation happens under it.
        try (FileChannel tail = FileChannel.open(path, StandardOpenOption.READ)) {
            for (int i = 5; i < 12; i++) {
                sink.offer(doc(i));
            }
            sink.close();
            assertEquals(inode, Files.getAttribute(dir.resolve("t.ndjson.1"), "unix:ino"),
                    "rotation renames: the tailer's file is t.ndjson.1");
            ByteBuffer all = ByteBuffer.allocate(4096);
            while (tail.read(all) > 0) {
                // read to the end of the renamed file
            }
            assertEquals(seqs(0, 10), lines(java.util.Arrays.copyOf(all.array(), all.position())));
        }
        assertEquals(seqs(10, 12), lines(Files.readAllBytes(path)));
    }

    @Test
    void shouldAppendToAnExistingFileAndMakeItOwnerOnly() throws IOException {
        Path path = dir.resolve("old.ndjson");
        Files.write(path, doc(0).line());
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        RotatingFileSink sink = sink(path, 2, true);
        sink.offer(doc(1));
        sink.close();
        assertEquals(seqs(0, 2), lines(Files.readAllBytes(path)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
    }

    @Test
    void shouldWriteADocumentLargerThanTheLimitWholeIntoAFreshFile() throws IOException {
        Path path = dir.resolve("big.ndjson");
        RotatingFileSink sink = sink(path, 2, false);
        sink.offer(doc(0));
        byte[] big = ("{\"big\":\"" + "y".repeat(3000) + "\"}\n").getBytes(StandardCharsets.UTF_8);
        sink.offer(new Document(DocumentKind.ALERT, big, 0, 0, 1));
        sink.offer(doc(2));
        sink.close();
        assertEquals(seqs(0, 1), lines(Files.readAllBytes(dir.resolve("big.ndjson.2"))));
        assertTrue(Files.readString(dir.resolve("big.ndjson.1")).startsWith("{\"big\":"));
        assertEquals(seqs(2, 3), lines(Files.readAllBytes(path)));
        assertFalse(sink.wants(DocumentKind.EVENT));
    }

    private static void awaitWritten(RotatingFileSink sink, long n) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (sink.stats().written() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not written: " + sink.stats());
            }
            Thread.onSpinWait();
        }
    }

    private List<String> names() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<Integer> seqs(int from, int to) {
        List<Integer> l = new ArrayList<>();
        for (int i = from; i < to; i++) {
            l.add(i);
        }
        return l;
    }

    /** The seq of every line; each line must be a whole document. */
    private static List<Integer> lines(byte[] bytes) {
        List<Integer> out = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            assertTrue(line.startsWith("{\"seq\":") && line.endsWith("\"}"), "whole line: " + line);
            out.add(Integer.parseInt(line.substring(7, line.indexOf(','))));
        }
        return out;
    }

    private static byte[] gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
