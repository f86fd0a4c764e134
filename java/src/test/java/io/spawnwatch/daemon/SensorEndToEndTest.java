package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.connectTo;
import static io.spawnwatch.daemon.SensorHarness.execOf;
import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real sensor against real processes: fake web servers (symlinks named
 * nginx and php-fpm8.2) spawning shells, a payload run from /tmp, a loopback
 * connection; and the same commands under a non-web parent, which must stay
 * invisible.
 */
@Tag("kernel")
class SensorEndToEndTest extends SharedSensorTest {

    @Test
    void shouldReportShellChildAndTmpGrandchildOfNginxWithExactFields() throws Exception {
        String marker = "m" + UUID.randomUUID().toString().substring(0, 8);
        try (FakeWebServer nginx = new FakeWebServer("nginx")) {
            String dir = nginx.dir.toString();
            // '; true' (here and below): these tests assert a child/grandchild shape; exec in place is shouldFollowAFakeServerThatExecsInPlace.
            // "; true" keeps each shell from exec'ing its last command in place,
            // so that sh really is a child and payload a grandchild.
            nginx.run("sh -c 'cd /tmp && " + nginx.payload + " " + marker + " \"two words\"; true'; true");

            JsonNode sh = harness.await(execOf("sh", marker), WAIT, "sh child of nginx");
            assertEquals("/usr/bin/dash", text(sh, "process.executable"));
            assertEquals(List.of("sh", "-c", "cd /tmp && " + nginx.payload + " " + marker + " \"two words\"; true"),
                    args(sh));
            assertEquals("3", text(sh, "process.args_count"));
            assertEquals(dir, text(sh, "process.working_directory"));
            assertEquals("nginx", text(sh, "process.parent.name"));
            assertEquals("/usr/bin/bash", text(sh, "process.parent.executable"));
            assertEquals(dir, text(sh, "process.parent.working_directory"));
            assertEquals("1", text(sh, "spawnwatch.lineage.depth"));
            assertEquals("nginx", text(sh, "spawnwatch.lineage.root.name"));
            assertEquals("nginx > sh", text(sh, "spawnwatch.lineage.chain"));
            assertEquals("process", sh.path("event").path("category").get(0).asText());
            assertEquals("start", sh.path("event").path("type").get(0).asText());
            assertEquals("root", text(sh, "user.name"));
            assertEquals("0", text(sh, "user.id"));

            JsonNode payload = harness.await(execOf("payload", marker), WAIT, "payload grandchild");
            assertEquals(nginx.payload.toString(), text(payload, "process.executable"));
            assertEquals(List.of(nginx.payload.toString(), marker, "two words"), args(payload));
            assertEquals(nginx.payload + " " + marker + " two words", text(payload, "process.command_line"));
            assertEquals("/tmp", text(payload, "process.working_directory"));
            assertEquals("sh", text(payload, "process.parent.name"));
            assertEquals("/usr/bin/dash", text(payload, "process.parent.executable"));
            assertEquals(text(sh, "process.pid"), text(payload, "process.parent.pid"));
            assertEquals("2", text(payload, "spawnwatch.lineage.depth"));
            assertEquals(text(sh, "process.parent.pid"), text(payload, "spawnwatch.lineage.root.pid"));
            assertEquals("nginx > sh > payload", text(payload, "spawnwatch.lineage.chain"));
            assertEquals(text(sh, "process.command_line"), text(payload, "process.parent.command_line"));
        }
    }

    @Test
    void shouldReportPhpFpmChildrenAsWebServerLineage() throws Exception {
        String marker = "p" + UUID.randomUUID().toString().substring(0, 8);
        try (FakeWebServer fpm = new FakeWebServer("php-fpm8.2")) {
            // '; true': uname must be a child of sh and sh of the fake php-fpm (exec in place: #shouldFollowAFakeServerThatExecsInPlace).
            fpm.run("sh -c 'echo " + marker + " > /dev/null; uname -a; true'; true");
            JsonNode sh = harness.await(execOf("sh", marker), WAIT, "sh child of php-fpm8.2");
            assertEquals("php-fpm8.2", text(sh, "process.parent.name"));
            assertEquals("php-fpm8.2", text(sh, "spawnwatch.lineage.root.name"));
            assertTrue(sh.path("spawnwatch").path("match").toString().contains("web_server_parent"));
            JsonNode uname = harness.await(
                    d -> "uname".equals(text(d, "process.name"))
                            && text(sh, "process.pid").equals(text(d, "process.parent.pid")),
                    WAIT, "uname grandchild");
            assertEquals("/usr/bin/uname", text(uname, "process.executable"));
            assertEquals(List.of("uname", "-a"), args(uname));
            assertEquals("php-fpm8.2 > sh > uname", text(uname, "spawnwatch.lineage.chain"));
        }
    }

    @Test
    void shouldReportLoopbackConnectFromNginxChild() throws Exception {
        try (FakeWebServer nginx = new FakeWebServer("nginx");
                ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = listener.getLocalPort();
            AtomicBoolean accepted = acceptInBackground(listener);
            // '; true': the connect must come from a bash child of the fake nginx, the parent the assertions name.
            nginx.run("bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + port + "; exec 3>&-; true'; true");
            JsonNode c = harness.await(connectTo(port), WAIT, "connect to port " + port);
            assertEquals("network", c.path("event").path("category").get(0).asText());
            assertEquals("127.0.0.1", text(c, "destination.ip"));
            // The tracepoint fires once the source is chosen; the cgroup hook before (README).
            String hook = harness.sensor().probes().connectHook();
            assertEquals(hook.startsWith("cgroup/") ? null : "127.0.0.1", text(c, "source.ip"));
            assertEquals("tcp", text(c, "network.transport"));
            assertEquals("ipv4", text(c, "network.type"));
            assertEquals("egress", text(c, "network.direction"));
            assertEquals("bash", text(c, "process.name"));
            assertEquals("nginx", text(c, "process.parent.name"));
            assertEquals("/usr/bin/bash", text(c, "process.executable"));
            assertEquals("1", text(c, "spawnwatch.lineage.depth"));
            assertEquals(hook.startsWith("cgroup/") ? "cgroup/connect4" : hook, text(c, "spawnwatch.hook"));
            Thread.sleep(100);
            assertTrue(accepted.get(), "the listener saw the connection");
        }
    }

    @Test
    void shouldReportIpv6LoopbackConnect() throws Exception {
        try (FakeWebServer nginx = new FakeWebServer("nginx");
                ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("::1"))) {
            int port = listener.getLocalPort();
            acceptInBackground(listener);
            // '; true': as above, the connecting bash is the fake nginx's child.
            nginx.run("bash -c 'exec 3<>/dev/tcp/::1/" + port + "; true'; true");
            JsonNode c = harness.await(connectTo(port), WAIT, "IPv6 connect to port " + port);
            assertEquals("::1", text(c, "destination.ip"));
            assertEquals("ipv6", text(c, "network.type"));
        }
    }

    @Test
    void shouldStayQuietForTheSameCommandsUnderANonWebParent() throws Exception {
        String marker = "n" + UUID.randomUUID().toString().substring(0, 8);
        try (FakeWebServer notWeb = new FakeWebServer("backupjob");
                FakeWebServer nginx = new FakeWebServer("nginx");
                ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = listener.getLocalPort();
            acceptInBackground(listener);
            // '; true': each command a child of the not-web server, as the shapes above, so only the name differs.
            notWeb.run("sh -c 'cd /tmp && " + notWeb.payload + " " + marker + "; id; true'; "
                    + "bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + port + "; true'; true");
            // The ring is ordered: once a later web-server event is here, the
            // negatives' events would have been too.
            String sentinel = "s" + UUID.randomUUID().toString().substring(0, 8);
            nginx.run("sh -c 'echo " + sentinel + " >/dev/null'");
            harness.await(execOf("sh", sentinel), WAIT, "sentinel");
            for (JsonNode d : harness.seen()) {
                String cmd = String.valueOf(text(d, "process.command_line"));
                assertFalse(cmd.contains(marker), "non-web process reported: " + d);
                assertFalse(connectTo(port).test(d), "non-web connect reported: " + d);
                assertFalse("backupjob".equals(text(d, "process.name")), "non-web process reported: " + d);
            }
        }
    }

    /**
     * The README's fake web server, as a user types it: bash under the name
     * nginx runs one command, which bash execs in place. The process stays
     * the lineage root through the exec (depth 0 in the kernel's map), so sh
     * is followed as the server itself and what sh starts (dash forks id)
     * as its child.
     */
    @Test
    void shouldFollowAFakeServerThatExecsInPlace() throws Exception {
        String marker = "x" + UUID.randomUUID().toString().substring(0, 8);
        try (FakeWebServer nginx = new FakeWebServer("nginx")) {
            nginx.run("sh -c 'id " + marker + "'");
            JsonNode sh = harness.await(execOf("sh", marker), WAIT, "sh exec'd in place by nginx");
            assertEquals("0", text(sh, "spawnwatch.lineage.depth"));
            assertEquals(text(sh, "process.pid"), text(sh, "spawnwatch.lineage.root.pid"));
            JsonNode id = harness.await(execOf("id", marker), WAIT, "id under it");
            assertEquals("1", text(id, "spawnwatch.lineage.depth"));
            assertEquals(text(sh, "process.pid"), text(id, "spawnwatch.lineage.root.pid"));
            assertEquals(text(sh, "process.pid"), text(id, "process.parent.pid"));
            assertEquals("sh > id", text(id, "spawnwatch.lineage.chain"));
        }
    }

    private static List<String> args(JsonNode d) {
        List<String> out = new java.util.ArrayList<>();
        d.path("process").path("args").forEach(a -> out.add(a.asText()));
        return out;
    }

    private static AtomicBoolean acceptInBackground(ServerSocket listener) {
        AtomicBoolean accepted = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try (Socket s = listener.accept()) {
                accepted.set(true);
            } catch (Exception e) {
                // listener closed at the end of the test
            }
        });
        t.setDaemon(true);
        t.start();
        return accepted;
    }
}
