package io.spawnwatch.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {
    @TempDir
    Path proc;

    @Test
    void shouldReadAFakeProcessWholeAndAnswerGoneForAMissingOne() throws Exception {
        Path dir = Files.createDirectories(proc.resolve("4000"));
        Files.writeString(dir.resolve("status"), "Name:\tphp-fpm8.2\nUmask:\t0022\nState:\tS (sleeping)\nPPid:\t1\n"
                + "Uid:\t33\t33\t33\t33\nGid:\t33\t33\t33\t33\n");
        Files.write(dir.resolve("cmdline"), "php-fpm: pool www\0\0".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(dir.resolve("exe"), Path.of("/usr/sbin/php-fpm8.2"));
        Files.createSymbolicLink(dir.resolve("cwd"), Path.of("/"));
        Files.writeString(dir.resolve("cgroup"), "0::/system.slice/php8.2-fpm.service\n");
        Files.createDirectories(proc.resolve("self"));
        ProcFs fs = new ProcFs(proc);

        assertEquals(java.util.List.of(4000), fs.pids());
        assertEquals(new ProcFs.Status(4000, "php-fpm8.2", 1, 33), fs.status(4000));
        assertEquals("php-fpm: pool www", fs.commandLine(4000));
        assertEquals("/usr/sbin/php-fpm8.2", fs.exe(4000));
        assertEquals("/", fs.cwd(4000));
        assertEquals("0::/system.slice/php8.2-fpm.service\n", fs.cgroup(4000));

        assertNull(fs.status(4001));
        assertNull(fs.cmdline(4001));
        assertEquals("", fs.commandLine(4001));
        assertEquals("", fs.exe(4001));
        assertNull(fs.cgroup(4001));
    }

    @Test
    void shouldReadTheStartTimeFromStatEvenWithParenthesesInTheName() {
        String stat = "4000 (php (fpm) x) S 1 4000 4000 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 123456 1 1";
        assertEquals(123456L * ProcFs.NANOS_PER_TICK, ProcFs.parseStartBootNanos(stat));
        assertEquals(0, ProcFs.parseStartBootNanos("garbage"));
        assertEquals(0, new ProcFs(proc).startBootNanos(4001));
    }

    @Test
    void shouldJoinArgvWithSpacesAndDropTrailingNuls() {
        byte[] b = "sh\0-c\0id; true\0\0".getBytes(StandardCharsets.UTF_8);
        int n = ProcFs.joinArgs(b, b.length);
        assertEquals("sh -c id; true", new String(b, 0, n, StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseAStatusWithoutNameOrWithABadNumber() {
        assertNull(ProcFs.parseStatus(1, "PPid:\t0\n"));
        assertNull(ProcFs.parseStatus(1, "Name:\tx\nPPid:\tabc\n"));
        assertEquals(new ProcFs.Status(1, "x", 0, -1), ProcFs.parseStatus(1, "Name:\tx\nPPid:\t0\n"));
    }

    @Test
    void shouldReadThisJvmFromTheRealProc() {
        ProcFs fs = new ProcFs(Path.of("/proc"));
        int pid = (int) ProcessHandle.current().pid();
        ProcFs.Status s = fs.status(pid);
        assertEquals(pid, s.pid());
        assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), s.ppid());
        assertTrue(fs.exe(pid).endsWith("/bin/java"), fs.exe(pid));
        assertTrue(fs.commandLine(pid).contains("java"), fs.commandLine(pid));
    }
}
