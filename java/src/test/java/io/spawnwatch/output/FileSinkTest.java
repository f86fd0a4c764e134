package io.spawnwatch.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void shouldAppendTheDocumentsItWantsOnePerLine() throws Exception {
        Path file = dir.resolve("out.ndjson");
        Files.writeString(file, "{\"old\":1}\n");
        FileSink sink = new FileSink(file, Set.of(DocumentKind.ALERT), 16, null);
        assertEquals("file:" + file, sink.name());
        assertEquals(true, sink.wants(DocumentKind.ALERT));
        assertEquals(false, sink.wants(DocumentKind.EVENT));
        sink.offer(QueuedSinkTest.doc("{\"a\":1}"));
        sink.offer(QueuedSinkTest.doc("{\"a\":\"é\"}"));
        sink.close();
        assertEquals("{\"old\":1}\n{\"a\":1}\n{\"a\":\"é\"}\n", Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(new SinkStats(2, 2, 0, 0, 0), sink.stats());
    }

    @Test
    void shouldCreateTheFileOwnerOnlyWhateverTheUmask() throws Exception {
        for (int mask : new int[] {0, 022, 0777}) {
            Path file = dir.resolve("umask-" + mask + ".ndjson");
            try (Umask u = new Umask(mask)) {
                new FileSink(file, Set.of(DocumentKind.ALERT), 4, null).close();
            }
            assertEquals("rw-------", mode(file), "umask " + Integer.toOctalString(mask));
        }
    }

    @Test
    void shouldTightenAnExistingWorldReadableFile() throws Exception {
        Path file = dir.resolve("loose.ndjson");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-")));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        new FileSink(file, Set.of(DocumentKind.ALERT), 4, null).close();
        assertEquals("rw-------", mode(file));
    }

    @Test
    void shouldGiveAConfiguredGroupReadAccessOnly() throws Exception {
        Path file = dir.resolve("group.ndjson");
        long gid = 4242; // any gid: root may give a file to a group that has no name
        try (Umask u = new Umask(0777)) {
            new FileSink(file, Set.of(DocumentKind.ALERT), 4, gid).close();
        }
        assertEquals("rw-r-----", mode(file));
        assertEquals((int) gid, Files.getAttribute(file, "unix:gid"));
    }

    @Test
    void shouldNameThePathWhenTheFileCannotBeOpened() {
        Path file = dir.resolve("missing/dir/out.ndjson");
        IOException e = assertThrows(IOException.class, () -> new FileSink(file, Set.of(DocumentKind.ALERT), 4,
                null));
        assertEquals("output " + file + ": cannot open for appending: directory " + file.getParent()
                + " does not exist", e.getMessage());
        IOException isDir = assertThrows(IOException.class, () -> new FileSink(dir, Set.of(DocumentKind.ALERT), 4,
                null));
        assertEquals("output " + dir + ": cannot open for appending: is a directory", isDir.getMessage());
        Path underFile = dir.resolve("plain");
        IOException notDir = assertThrows(IOException.class, () -> {
            Files.writeString(underFile, "x");
            new FileSink(underFile.resolve("out.ndjson"), Set.of(DocumentKind.ALERT), 4, null);
        });
        assertEquals("output " + underFile.resolve("out.ndjson") + ": cannot open for appending: " + underFile
                + " is not a directory", notDir.getMessage());
    }
}
