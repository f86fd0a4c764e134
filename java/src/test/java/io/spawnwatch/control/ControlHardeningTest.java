package io.spawnwatch.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spawnwatch.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The issue's attacks on the control socket: idle peers that hold every slot,
 * allowed non-root peers that take root's, a socket directory an unprivileged
 * user prepared, and an impostor listening in the sensor's place.
 */
class ControlHardeningTest {
    private static final String STATUS = "{\"v\":1,\"id\":1,\"cmd\":\"status\"}";

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void traversable() throws IOException {
        // uid 65534 must reach sockets in here (the default TempDir is 0700).
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private ControlServer start(ControlServer.Options options) throws IOException {
        ControlServer s = ControlServer.start(options, new FakeSensorControl(),
                new SubscriberHub(SubscriberHub.Options.defaults()));
        open.add(s);
        return s;
    }

    private LineClient client(ControlServer s) throws IOException {
        LineClient c = new LineClient(s.socket());
        open.add(c);
        return c;
    }

    @Test
    void shouldCloseTheIssues128SilentConnectionsAfterTheIdleTimeoutSoThatRootGetsIn() throws Exception {
        ControlServer s = start(ControlServer.Options.defaults().withSocket(dir.resolve("run/sw.sock"))
                .withIdleTimeoutMillis(3000));
        List<LineClient> silent = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            silent.add(client(s));
        }
        awaitConnections(s, 128);
        try (LineClient late = new LineClient(s.socket())) {
            assertTrue(late.readLine().contains("\"code\":\"busy\""), "every slot is taken at first");
        }
        for (LineClient c : silent) {
            c.awaitLine(java.time.Duration.ofSeconds(10));
            assertEquals("{\"v\":1,\"id\":null,\"error\":{\"code\":\"idle_timeout\",\"message\":\"no request for 3000"
                    + " ms; connection closed\"}}", c.readLine());
            assertNull(c.readLine());
        }
        assertTrue(client(s).call(STATUS).contains("\"ok\":true"));
        assertEquals(128L, s.controlStatus().get("idle_closed").asLong());
    }

    @Test
    void shouldNotCloseAConnectionThatFollowsAStream() throws Exception {
        ControlServer s = start(ControlServer.Options.defaults().withSocket(dir.resolve("run/sw.sock"))
                .withIdleTimeoutMillis(300));
        LineClient follower = client(s);
        follower.sendLine("{\"v\":1,\"id\":7,\"cmd\":\"alerts\",\"args\":{\"since\":\"1h\",\"follow\":true}}");
        Thread.sleep(1000);
        follower.sendLine("{\"v\":1,\"id\":8,\"cmd\":\"status\"}");
        String line;
        do {
            line = follower.readLine();
        } while (line != null && !line.contains("\"id\":8"));
        assertTrue(line != null && line.contains("\"ok\":true"), String.valueOf(line));
    }

    @Test
    void shouldKeepRootsReservedSlotsFromAnAllowedNonRootUser() throws Exception {
        assumeNobodyCanRun();
        int limit = ControlServer.Options.ROOT_RESERVED + 1;
        ControlServer s = start(ControlServer.Options.defaults().withSocket(dir.resolve("run/sw.sock"))
                .withModes(0755, 0666).withMaxConnections(limit)
                .withAccess(AccessPolicy.of(List.of(65534L), List.of())));
        Process holder = asNobody(HOLD, s.socket().toString());
        awaitConnections(s, 1);
        Process second = asNobody(READ_ONE_LINE, s.socket().toString());
        assertTrue(second.waitFor(20, TimeUnit.SECONDS));
        assertTrue(new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .contains("\"code\":\"busy\""), "the second non-root peer finds no slot for non-root peers");
        for (int i = 0; i < ControlServer.Options.ROOT_RESERVED; i++) {
            assertTrue(client(s).call(STATUS).contains("\"ok\":true"), "root's slot " + i);
        }
        holder.destroyForcibly();
    }

    @Test
    void shouldRefuseASocketDirectoryOwnedByAnotherUser() throws Exception {
        Path run = Files.createDirectory(dir.resolve("run"));
        Files.setAttribute(run, "unix:uid", 65534);
        IOException e = assertThrows(IOException.class,
                () -> start(ControlServer.Options.defaults().withSocket(run.resolve("sw.sock"))));
        assertEquals("control: refusing socket directory " + run + ": " + run + " is owned by uid=65534, not root;"
                + " another user could replace the socket. Remove the directory (the sensor creates it, mode 0700),"
                + " fix its owner and mode, or choose another --socket", e.getMessage());
    }

    @Test
    void shouldRefuseASocketDirectoryWritableByOthersOrBelowOne() throws Exception {
        Path run = Files.createDirectory(dir.resolve("run"));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class,
                () -> start(ControlServer.Options.defaults().withSocket(run.resolve("sw.sock"))));
        assertTrue(e.getMessage().contains(run + " is writable by others (mode 0777)"), e.getMessage());
        // The socket's own directory is fine, but anyone may rename it away: refused too.
        Path inner = Files.createDirectory(run.resolve("spawnwatch"));
        e = assertThrows(IOException.class,
                () -> start(ControlServer.Options.defaults().withSocket(inner.resolve("sw.sock"))));
        assertTrue(e.getMessage().startsWith("control: refusing socket directory " + inner + ": " + run
                + " is writable by others"), e.getMessage());
    }

    @Test
    void shouldNotSendAnythingToAnImpostorListeningAsAnotherUser() throws Exception {
        assumeNobodyCanRun();
        // The issue's attack: nobody's own directory, nobody listening, answering "added" to anything.
        Path nobodys = Files.createDirectory(dir.resolve("nobodys"));
        Files.setAttribute(nobodys, "unix:uid", 65534);
        Path socket = nobodys.resolve("sw.sock");
        Process impostor = asNobody(IMPOSTOR, socket.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(socket) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("exceptions", "add", "--rule", "*", "--match", "process.name=sh", "--socket",
                socket.toString());
        assertEquals(3, code, "out=" + out + " err=" + err);
        assertTrue(err.toString().contains("it runs as uid=65534 (pid " + impostor.pid() + "), not root: it is not"
                + " the sensor (an impostor may have replaced the socket); nothing was sent"), err.toString());
        assertTrue(impostor.waitFor(20, TimeUnit.SECONDS));
        assertEquals("received 0 bytes", new String(impostor.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).strip());
    }

    private static final String HOLD = """
            import socket, sys, time
            s = socket.socket(socket.AF_UNIX)
            s.connect(sys.argv[1])
            time.sleep(30)
            """;

    private static final String READ_ONE_LINE = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            s.connect(sys.argv[1])
            sys.stdout.write(s.makefile('rb').readline().decode())
            """;

    /** Listens where the sensor should, answers "added" like the issue's impostor, reports what it got. */
    private static final String IMPOSTOR = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            s.bind(sys.argv[1])
            s.listen(1)
            s.settimeout(20)
            c, _ = s.accept()
            c.settimeout(2)
            got = b''
            try:
                while True:
                    chunk = c.recv(4096)
                    if not chunk:
                        break
                    got += chunk
                    c.sendall(b'{"v":1,"id":1,"ok":true,"result":{"id":"ex-fake"}}\\n')
            except OSError:
                pass
            print('received %d bytes' % len(got))
            """;

    private void awaitConnections(ControlServer s, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (s.connections() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(n, s.connections());
    }

    private static void assumeNobodyCanRun() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/python3")),
                "this test needs /usr/bin/setpriv and /usr/bin/python3 to run a peer as uid 65534");
    }

    private Process asNobody(String script, String socket) throws IOException {
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
                "/usr/bin/python3", "-c", script, socket).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        open.add(p::destroyForcibly);
        return p;
    }
}
