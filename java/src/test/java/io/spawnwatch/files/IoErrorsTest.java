package io.spawnwatch.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoErrorsTest {
    @TempDir
    Path dir;

    @Test
    void shouldWordAnIoErrorAsTheSystemDoesWithoutTheClassName() {
        assertEquals("no such file or directory", IoErrors.describe(new NoSuchFileException("/x")));
        assertEquals("permission denied", IoErrors.describe(new AccessDeniedException("/x")));
        assertEquals("read-only file system", IoErrors.describe(new FileSystemException("/x", null,
                "Read-only file system")));
        assertEquals("input/output error", IoErrors.describe(new java.io.IOException()));
    }

    @Test
    void shouldNameTheMissingDirectoryOrTheFileInTheWay() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        assertNull(IoErrors.whyNotCreatable(dir.resolve("new.ndjson")));
        assertEquals("directory " + dir.resolve("a/b") + " does not exist",
                IoErrors.whyNotCreatable(dir.resolve("a/b/new.ndjson")));
        assertEquals(plain + " is not a directory", IoErrors.whyNotCreatable(plain.resolve("sub/new.ndjson")));
    }

    @Test
    void shouldJudgeWritabilityOnlyAsRootTheUserTheSensorRunsAs() {
        // /proc/1 cannot take a file even for root; a check run by another user says nothing of it.
        assertEquals("directory /proc/1 is not writable (a read-only file system?)",
                IoErrors.whyNotCreatableWithDirectories(Path.of("/proc/1/x/incidents.db"), true));
        assertNull(IoErrors.whyNotCreatableWithDirectories(Path.of("/proc/1/x/incidents.db"), false));
        assertEquals("/etc/hostname is not a directory",
                IoErrors.whyNotCreatableWithDirectories(Path.of("/etc/hostname/x/db"), false));
    }
}
