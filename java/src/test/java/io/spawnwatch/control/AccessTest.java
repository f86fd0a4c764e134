package io.spawnwatch.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may connect: file modes, the SO_PEERCRED check against real processes
 * running as another uid, and the socket file's life cycle.
 */
class AccessTest {
    private static final String NOBODY_CLIENT = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            s.connect(sys.argv[1])
            try:
                s.sendall(b'{"v":1,"id":1,"cmd":"rules.list"}\\n')
            except OSError:
                pass
            line = s.makefile('rb').readline()
            sys.stdout.write(line.decode())
            """;

    @TempDir
    Path dir;

    private final LogCapture log = new LogCapture();

    @BeforeEach
    void openTempDir() throws IOException {
        // @TempDir is 0700: let an unprivileged peer reach the socket so that only SO_PEERCRED stands in its way.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void closeLog() {
        log.close();
    }

    private ControlServer openServer(AccessPolicy access) throws IOException {
        return ControlServer.start(ControlServer.Options.defaults().withSocket(dir.resolve("open/sw.sock"))
                .withModes(0755, 0666).withAccess(access), new FakeSensorControl(),
                new SubscriberHub(SubscriberHub.Options.defaults()));
    }

    /** Runs the python client as uid/gid 65534 with {@code groups}; returns [pid, first line it read]. */
    private static String[] runAsNobody(Path socket, String groups) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/python3")),
                "this test needs /usr/bin/setpriv and /usr/bin/python3 to run a client as uid 65534");
        List<String> cmd = groups.isEmpty()
                ? List.of("/usr/bin/setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
                        "/usr/bin/python3", "-c", NOBODY_CLIENT, socket.toString())
                : List.of("/usr/bin/setpriv", "--reuid", "65534", "--regid", "65534", "--groups", groups,
                        "/usr/bin/python3", "-c", NOBODY_CLIENT, socket.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the client as nobody did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "client output: " + out);
        return new String[] {Long.toString(p.pid()), out.strip()};
    }

    @Test
    void shouldRefuseAPeerRunningAsAnUnprivilegedUidAndLogIt() throws Exception {
        try (ControlServer server = openServer(AccessPolicy.of(List.of(1000L), List.of(1000L)))) {
            String[] result = runAsNobody(server.socket(), "");
            assertEquals("{\"v\":1,\"id\":null,\"error\":{\"code\":\"forbidden\",\"message\":\"uid=65534 is not"
                    + " allowed: only root and the users and groups the sensor's configuration names may use this"
                    + " socket\"}}", result[1]);
            assertEquals(1, server.refused());
            assertEquals(0, server.connections());
            assertTrue(log.lines().contains("WARNING control: refused uid=65534 gid=65534 pid=" + result[0]
                    + " groups=[] on socket=" + server.socket() + ": not root and not allowed by the configuration"
                    + " (uids=[1000] gids=[1000])"), log.lines().toString());
        }
    }

    @Test
    void shouldAdmitAnUnprivilegedUidTheConfigurationNames() throws Exception {
        try (ControlServer server = openServer(AccessPolicy.of(List.of(65534L), List.of()))) {
            String line = runAsNobody(server.socket(), "")[1];
            assertTrue(line.startsWith("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"rules\":[{\"id\":\"web-shell-spawn\""),
                    line);
        }
    }

    @Test
    void shouldAdmitAPeerByOneOfItsSupplementaryGroups() throws Exception {
        try (ControlServer server = openServer(AccessPolicy.of(List.of(), List.of(4242L)))) {
            String line = runAsNobody(server.socket(), "100,4242")[1];
            assertTrue(line.startsWith("{\"v\":1,\"id\":1,\"ok\":true,"), line);
        }
    }

    @Test
    void shouldApplyAReplacedPolicyToNewConnections() throws Exception {
        try (ControlServer server = openServer(AccessPolicy.of(List.of(65534L), List.of()))) {
            server.setAccess(AccessPolicy.rootOnly());
            assertTrue(runAsNobody(server.socket(), "")[1].contains("\"code\":\"forbidden\""));
        }
    }

    @Test
    void shouldCreateTheDirectory0700AndTheSocket0600ByDefault() throws Exception {
        Path socket = dir.resolve("run/spawnwatch/spawnwatch.sock");
        try (ControlServer server = ControlServer.start(ControlServer.Options.defaults().withSocket(socket),
                new FakeSensorControl(), new SubscriberHub(SubscriberHub.Options.defaults()))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals(socket, server.socket());
        }
    }

    @Test
    void shouldKeepAnUnprivilegedUserOutAtTheFileLevelWithDefaultModes() throws Exception {
        Path socket = dir.resolve("run/sw.sock");
        try (ControlServer server = ControlServer.start(ControlServer.Options.defaults().withSocket(socket)
                .withAccess(AccessPolicy.of(List.of(65534L), List.of())), new FakeSensorControl(),
                new SubscriberHub(SubscriberHub.Options.defaults()))) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs /usr/bin/setpriv");
            Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid", "65534", "--regid", "65534",
                    "--clear-groups", "/usr/bin/python3", "-c", NOBODY_CLIENT, socket.toString())
                    .redirectErrorStream(true).start();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(out.contains("PermissionError: [Errno 13] Permission denied"), out);
            assertEquals(0, server.connections());
        }
    }

    @Test
    void shouldReplaceAStaleSocketFileNobodyListensOn() throws Exception {
        Path socket = dir.resolve("stale.sock");
        try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            old.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket), "the JDK leaves the socket file behind, like a crashed sensor");
        try (ControlServer server = ControlServer.start(ControlServer.Options.defaults().withSocket(socket),
                new FakeSensorControl(), new SubscriberHub(SubscriberHub.Options.defaults()));
                LineClient c = new LineClient(server.socket())) {
            assertTrue(c.call("{\"v\":1,\"id\":1,\"cmd\":\"status\"}").contains("\"ok\":true"));
            assertTrue(log.lines().contains("INFO control: replaced stale socket=" + socket
                    + " (nobody was listening)"), log.lines().toString());
        }
    }

    @Test
    void shouldRefuseToStartWhileAnotherProcessListensOnTheSocket() throws Exception {
        Path socket = dir.resolve("busy.sock");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(socket));
            IOException e = assertThrows(IOException.class, () -> ControlServer.start(
                    ControlServer.Options.defaults().withSocket(socket), new FakeSensorControl(),
                    new SubscriberHub(SubscriberHub.Options.defaults())));
            assertEquals("control: another process is listening on socket=" + socket
                    + "; stop it (spawnwatch shutdown) or choose another --socket", e.getMessage());
            assertTrue(Files.exists(socket));
        }
    }

    @Test
    void shouldRefuseToReplaceAFileThatIsNotASocket() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "keep me");
        IOException e = assertThrows(IOException.class, () -> ControlServer.start(
                ControlServer.Options.defaults().withSocket(file), new FakeSensorControl(),
                new SubscriberHub(SubscriberHub.Options.defaults())));
        assertEquals("control: " + file + " exists and is not a socket; remove it or choose another --socket",
                e.getMessage());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void shouldRefuseASocketPathLongerThanSunPath() {
        Path longPath = dir.resolve("x".repeat(120) + ".sock");
        IOException e = assertThrows(IOException.class, () -> ControlServer.start(
                ControlServer.Options.defaults().withSocket(longPath), new FakeSensorControl(),
                new SubscriberHub(SubscriberHub.Options.defaults())));
        assertTrue(e.getMessage().startsWith("control: socket path too long: path=" + longPath + " length="),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(" max=107 bytes; choose a shorter --socket"), e.getMessage());
    }

    @Test
    void shouldNotRemoveASocketFileAnotherServerCreatedAfterUs() throws Exception {
        Path socket = dir.resolve("shared.sock");
        ControlServer first = ControlServer.start(ControlServer.Options.defaults().withSocket(socket),
                new FakeSensorControl(), new SubscriberHub(SubscriberHub.Options.defaults()));
        Files.delete(socket); // an operator removed it; a second sensor took the path
        try (ControlServer second = ControlServer.start(ControlServer.Options.defaults().withSocket(socket),
                new FakeSensorControl(), new SubscriberHub(SubscriberHub.Options.defaults()))) {
            first.close();
            assertTrue(Files.exists(socket), "the first server must not delete the second one's socket");
            try (LineClient c = new LineClient(second.socket())) {
                assertTrue(c.call("{\"v\":1,\"id\":1,\"cmd\":\"status\"}").contains("\"ok\":true"));
            }
        }
        assertFalse(Files.exists(socket));
    }

    @Test
    void shouldResolveUserAndGroupNamesOnceFromPasswdAndGroupFiles() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), """
                root:x:0:0:root:/root:/bin/bash
                www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
                ops:x:1001:1001::/home/ops:/bin/sh
                ops:x:0:0:duplicate name, ignored as getpwnam ignores it:/:/bin/sh
                """);
        Path group = Files.writeString(dir.resolve("group"), "adm:x:4:syslog\nspawnwatch:x:997:\n");
        AccessPolicy p = AccessPolicy.resolve(List.of("ops", "2000"), List.of("spawnwatch"), passwd, group);
        assertEquals(Set.of(1001L, 2000L), p.uids());
        assertEquals(Set.of(997L), p.gids());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccessPolicy.resolve(List.of("ghost", "99999999999"), List.of("nogroup"), passwd, group));
        assertEquals("user=ghost is not in " + passwd + ": give a number or an existing name; user=99999999999 is out"
                + " of range: ids go from 0 to 4294967294; group=nogroup is not in " + group + ": give a number or an"
                + " existing name", e.getMessage());
    }

    @Test
    void shouldAllowRootListedUidsAndGroupMembersOnly() {
        AccessPolicy p = AccessPolicy.of(List.of(1000L), List.of(50L));
        assertTrue(p.allows(new PeerCredentials(1, 0, 0, new long[0])));
        assertTrue(p.allows(new PeerCredentials(1, 1000, 1000, new long[0])));
        assertTrue(p.allows(new PeerCredentials(1, 1001, 50, new long[0])));
        assertTrue(p.allows(new PeerCredentials(1, 1001, 1001, new long[] {7, 50})));
        assertFalse(p.allows(new PeerCredentials(1, 1001, 1001, new long[] {7})));
    }
}
