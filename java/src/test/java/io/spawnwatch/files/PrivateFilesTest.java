package io.spawnwatch.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Modes are set explicitly, so the umask cannot widen them (the daemon test runs with umask 000). */
class PrivateFilesTest {
    private static final int NOGROUP = 65534;

    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void shouldCreateEachMissingDirectory0700AndTheFile0600() throws Exception {
        Path db = dir.resolve("a/b/baselines.db");
        assertFalse(PrivateFiles.prepareFile(db, -1));
        assertEquals("rwx------", mode(dir.resolve("a")));
        assertEquals("rwx------", mode(dir.resolve("a/b")));
        assertEquals("rw-------", mode(db));
    }

    @Test
    void shouldUse0750And0640AndTheGroupWhenOneIsConfigured() throws Exception {
        Path db = dir.resolve("lib/baselines.db");
        PrivateFiles.prepareFile(db, NOGROUP);
        assertEquals("rwxr-x---", mode(dir.resolve("lib")));
        assertEquals("rw-r-----", mode(db));
        assertEquals(NOGROUP, Files.getAttribute(db, "unix:gid"));
        assertEquals(NOGROUP, Files.getAttribute(dir.resolve("lib"), "unix:gid"));
    }

    @Test
    void shouldTightenAnExistingFileThatOthersCanRead() throws Exception {
        Path db = Files.createFile(dir.resolve("baselines.db"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertTrue(PrivateFiles.prepareFile(db, -1));
        assertEquals("rw-------", mode(db));
        assertFalse(PrivateFiles.prepareFile(db, -1), "already private: nothing to say");
    }

    @Test
    void shouldLeaveAnExistingDirectoryAsItsOwnerMadeIt() throws Exception {
        Path existing = Files.createDirectory(dir.resolve("mine"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivateFiles.createDirectories(existing.resolve("sub"), -1);
        assertEquals("rwxr-xr-x", mode(existing));
        assertEquals("rwx------", mode(existing.resolve("sub")));
    }
}
