package io.spawnwatch.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadAUtf8FileWithinTheBound() throws Exception {
        Path f = Files.writeString(dir.resolve("ok.yml"), "title: café\n");
        assertEquals("title: café\n", TextFiles.readUtf8(f, 100));
    }

    @Test
    void shouldNameLineColumnAndByteOfInvalidUtf8() throws Exception {
        Path f = Files.write(dir.resolve("bad.yml"), "a: 1\nb: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        TextFiles.Unreadable e = assertThrows(TextFiles.Unreadable.class, () -> TextFiles.readUtf8(f, 100));
        assertEquals(2, e.line());
        assertEquals("line 2, column 7: not UTF-8 (byte 0xe9); save the file as UTF-8", e.getMessage());
    }

    @Test
    void shouldRefuseDevicesDirectoriesAndLargeFilesBeforeReading() throws Exception {
        assertEquals("not a regular file (a device, socket or pipe); expected a YAML file",
                assertThrows(TextFiles.Unreadable.class, () -> TextFiles.readUtf8(Path.of("/dev/zero"), 100))
                        .getMessage());
        assertEquals("not a regular file (a directory); expected a YAML file",
                assertThrows(TextFiles.Unreadable.class, () -> TextFiles.readUtf8(dir, 100)).getMessage());
        Path big = Files.write(dir.resolve("big"), new byte[101]);
        assertEquals("too large: 101 bytes, at most 100 accepted",
                assertThrows(TextFiles.Unreadable.class, () -> TextFiles.readUtf8(big, 100)).getMessage());
    }
}
