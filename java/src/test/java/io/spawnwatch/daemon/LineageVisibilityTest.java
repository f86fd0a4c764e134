package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.execOf;
import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spawnwatch.ecs.EcsSchema;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's "what was seen", each against the real kernel with real
 * programs: who becomes a web server (by listening, by its own arguments, not
 * by a name a script carries), and that nothing leaves the lineage (threads
 * that exec, leaders that exit first, forked-only processes, reparenting,
 * fileless and #! programs, deep paths, reused pids).
 */
@Tag("kernel")
class LineageVisibilityTest extends SharedSensorTest {
    private static final String PYTHON = "/usr/bin/python3";
    private Path work;

    @BeforeEach
    void makeWorkDirectory() throws IOException {
        work = Files.createTempDirectory(Path.of("/tmp"), "sw-vis-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @AfterEach
    void removeWorkDirectory() throws IOException {
        try (var walk = Files.walk(work)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    // ---- 1. a runtime that listens is a web server ----

    @Test
    void shouldFollowANodeServerThatListensAsItsOwnUser() throws Exception {
        int port = freePort();
        String server = "const http = require('http'), cp = require('child_process');"
                + "http.createServer((q, r) => cp.exec('uname -a; id', () => r.end('ok')))"
                + ".listen(" + port + ", '127.0.0.1', () => console.log('up'));";
        // Debian's node, as nobody: neither a web-server name nor a web-server user.
        Process node = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "/usr/bin/node", "-e", server).redirectErrorStream(true).start();
        try {
            String up = new String(node.getInputStream().readNBytes(3));
            assertEquals("up\n", up.length() == 3 ? up : up + "?", "node did not start");
            awaitRoot(node.pid());
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("ok", r.body());
            JsonNode uname = harness.await(execOf("uname", "uname -a"), WAIT, "uname under node");
            assertEquals("node", text(uname, "spawnwatch.lineage.root.name"));
            assertEquals(Long.toString(node.pid()), text(uname, "spawnwatch.lineage.root.pid"));
            assertEquals("65534", text(uname, "user.id"));
            assertTrue(harness.sensor().recognizer().roots().alive(new io.spawnwatch.recognition.ProcessClock(
                    Path.of("/proc"))).stream().anyMatch(root -> root.pid() == node.pid()
                            && root.reason().contains("runtime node")
                            && root.reason().contains("port " + port)), "status shows why node is a root");
        } finally {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldFollowChildrenARuntimeForkedBeforeItListened() throws Exception {
        String m = marker();
        Path go = work.resolve("go");
        // A pre-fork server: the worker is forked and exec'd before the master
        // listens; only what it starts after the decision can be seen, and is.
        String server = "import os, socket, time\n"
                + "if os.fork() == 0:\n"
                + "    os.execv('/bin/sh', ['sh', '-c', 'while [ ! -e " + go + " ]; do sleep 0.05; done; "
                + "cat /nonexistent-" + m + " || true'])\n"
                + "time.sleep(0.3)\n"
                + "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1); time.sleep(3)\n";
        Files.writeString(work.resolve("prefork.py"), server);
        Process master = start(List.of(PYTHON, work.resolve("prefork.py").toString()));
        try {
            awaitRoot(master.pid());
            Files.createFile(go);
            JsonNode cat = harness.await(execOf("cat", m), WAIT, "the worker's child, after the listen");
            assertEquals(Long.toString(master.pid()), text(cat, "spawnwatch.lineage.root.pid"));
            assertEquals("2", text(cat, "spawnwatch.lineage.depth"));
        } finally {
            master.destroy();
            master.waitFor(10, TimeUnit.SECONDS);
        }
    }

    // ---- 2. arguments that merely mention a server are not one ----

    @Test
    void shouldJudgeAnInterpreterByItsOwnArgumentsOnly() throws Exception {
        String ignored = "pip" + marker();
        String followed = "guni" + marker();
        String spawn = "import subprocess, sys\nsubprocess.run(['sh', '-c', 'echo ' + sys.argv[-1] + ' >/dev/null'])\n";
        Files.writeString(work.resolve("swfakepip.py"), spawn);
        // The server forks only once the sensor has judged it (a real one takes longer to start).
        Path go = work.resolve("go");
        Files.writeString(work.resolve("gunicorn.py"), "import os, time\n"
                + "while not os.path.exists('" + go + "'): time.sleep(0.02)\n" + spawn);
        // "python3 -m swfakepip download gunicorn": the program is swfakepip; gunicorn is its argument.
        run(List.of(PYTHON, "-m", "swfakepip", "download", "gunicorn", ignored));
        // "python3 -m gunicorn app": the program is gunicorn.
        Process g = start(List.of(PYTHON, "-m", "gunicorn", "app:app", followed));
        awaitRoot(g.pid());
        Files.createFile(go);
        JsonNode sh = harness.await(execOf("sh", followed), WAIT, "sh under the gunicorn python");
        g.waitFor(20, TimeUnit.SECONDS);
        assertEquals("python3", text(sh, "spawnwatch.lineage.root.name"));
        assertEquals(Long.toString(g.pid()), text(sh, "spawnwatch.lineage.root.pid"));
        assertNoDocument(ignored);
    }

    // ---- 3. a script carrying a server's name is not a server ----

    @Test
    void shouldNotMakeNginxsInitScriptARoot() throws Exception {
        // Debian's own /etc/init.d/nginx, as logrotate's invoke-rc.d runs it: its name is nginx.
        Process script = new ProcessBuilder("/etc/init.d/nginx", "rotate").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(script.waitFor(20, TimeUnit.SECONDS));
        // The same script run by a real web-server root does spawn processes, and those are seen.
        try (FakeWebServer nginx = new FakeWebServer("nginx")) {
            String m = marker();
            nginx.run("/etc/init.d/nginx rotate; cat /dev/null /nonexistent-" + m + "; exit 0");
            JsonNode cat = harness.await(execOf("cat", m), WAIT, "the sentinel cat");
            assertTrue(harness.seen().stream().anyMatch(d -> "exec".equals(text(d, "event.action"))
                    && "nginx".equals(text(d, "process.parent.name")) && "2".equals(text(d, "spawnwatch.lineage.depth"))),
                    "the init script spawns processes (seen when a real root runs it)");
            assertTrue(cat.path("spawnwatch").has("lineage"));
        }
        String pid = Long.toString(script.pid());
        for (JsonNode d : harness.seen()) {
            assertFalse(pid.equals(text(d, "process.parent.pid")) || pid.equals(text(d, "process.pid"))
                    || pid.equals(text(d, "spawnwatch.lineage.root.pid")), "the init script was followed: " + d);
        }
    }

    // ---- 4, 5. threads: exec from a non-leader thread, a leader that exits first ----

    @Test
    void shouldFollowAnExecFromAWorkerThreadTwoLevelsDown() throws Exception {
        Path prog = cc("threadexec", """
                #include <pthread.h>
                #include <unistd.h>
                static void *run(void *cmd) {
                    char *argv[] = {"sh", "-c", cmd, 0};
                    execv("/bin/sh", argv);
                    return 0;
                }
                int main(int argc, char **argv) {
                    pthread_t t;
                    pthread_create(&t, 0, run, argv[1]);
                    pause();
                }
                """);
        String m = marker();
        try (FakeWebServer nginx = new FakeWebServer("nginx")) {
            // nginx -> bash -> threadexec, whose second thread execs sh
            nginx.run("bash -c '" + prog + " \"whoami; echo " + m + " >/dev/null\"; exit 0'; exit 0");
            JsonNode sh = harness.await(execOf("sh", m), WAIT, "sh exec'd by the worker thread");
            assertEquals("2", text(sh, "spawnwatch.lineage.depth"));
            JsonNode whoami = harness.await(d -> "whoami".equals(text(d, "process.name"))
                    && text(sh, "process.pid").equals(text(d, "process.parent.pid")), WAIT, "whoami after it");
            assertEquals("3", text(whoami, "spawnwatch.lineage.depth"));
        }
    }

    @Test
    void shouldFollowAProcessWhoseMainThreadExitedFirst() throws Exception {
        Path prog = cc("leaderexit", """
                #include <arpa/inet.h>
                #include <pthread.h>
                #include <stdlib.h>
                #include <sys/socket.h>
                #include <sys/wait.h>
                #include <unistd.h>
                static char **args;
                static void *run(void *unused) {
                    usleep(300000);
                    pid_t p = fork();
                    if (p == 0) {
                        execl("/bin/sh", "sh", "-c", args[1], (char *)0);
                        _exit(1);
                    }
                    waitpid(p, 0, 0);
                    int s = socket(AF_INET, SOCK_STREAM, 0);
                    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(args[2]))};
                    a.sin_addr.s_addr = htonl(0x7f000001);
                    connect(s, (struct sockaddr *)&a, sizeof(a));
                    _exit(0);
                }
                int main(int argc, char **argv) {
                    pthread_t t;
                    args = argv;
                    pthread_create(&t, 0, run, 0);
                    pthread_exit(0);
                }
                """);
        String m = marker();
        try (FakeWebServer nginx = new FakeWebServer("nginx");
                ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = listener.getLocalPort();
            nginx.run(prog + " 'echo " + m + " >/dev/null' " + port + "; exit 0");
            JsonNode sh = harness.await(execOf("sh", m), WAIT, "sh forked after the leader exited");
            assertEquals("2", text(sh, "spawnwatch.lineage.depth"));
            JsonNode connect = harness.await(SensorHarness.connectTo(port), WAIT, "the connect after it");
            assertEquals("1", text(connect, "spawnwatch.lineage.depth"));
        }
    }

    // ---- 6. forked-only processes and reparenting ----

    @Test
    void shouldNameForkedOnlyProcessesAndKeepTheChainAfterReparenting() throws Exception {
        String m1 = "/nonexistent-" + marker();
        String m2 = marker();
        try (FakeWebServer nginx = new FakeWebServer("nginx")) {
            // '; true' inside $( ): cat fails on purpose (m1 does not exist) and must run as a forked child of the subshell.
            String script = "x=$(cat /etc/hostname " + m1 + "; true); (sh -c 'sleep 0.3; whoami; echo " + m2
                    + " >/dev/null' &); sleep 1; exit 0";
            nginx.run(script);
            // cat runs in the $(...) subshell: a fork of nginx that never execs.
            JsonNode cat = harness.await(execOf("cat", m1), WAIT, "cat in a command substitution");
            assertEquals("nginx > nginx > cat", text(cat, "spawnwatch.lineage.chain"));
            assertEquals(nginx.server + " -c " + script, text(cat, "process.parent.command_line"));
            // whoami's sh was orphaned (its parent subshell exited) and reparented.
            JsonNode whoami = harness.await(d -> "whoami".equals(text(d, "process.name"))
                    && String.valueOf(text(d, "process.parent.command_line")).contains(m2), WAIT, "orphan's whoami");
            assertEquals("nginx > nginx > sh > whoami", text(whoami, "spawnwatch.lineage.chain"));
        }
    }

    // ---- 7, 8, 9. paths as the kernel knows them ----

    @Test
    void shouldNameAMemfdAsProcExeDoes() throws Exception {
        String m = marker();
        try (FakeWebServer nginx = new FakeWebServer("nginx")) {
            nginx.run(PYTHON + " -c \"import os; fd = os.memfd_create('swpayload', 0); "
                    + "os.write(fd, open('/bin/true', 'rb').read()); os.execv('/proc/self/fd/%d' % fd, ['" + m
                    + "'])\"; exit 0");
            JsonNode e = harness.await(d -> "exec".equals(text(d, "event.action"))
                    && m.equals(d.path("process").path("args").path(0).asText()), WAIT, "the memfd exec");
            assertEquals("/memfd:swpayload (deleted)", text(e, "process.executable"));
        }
    }

    @Test
    void shouldReportAScriptsInterpreterAndPathAndMatchRulesOnEither() throws Exception {
        Path shScript = work.resolve("upd");
        Files.writeString(shScript, "#!/bin/sh\nexit 0\n");
        // An interpreter no rule names: only the script's place in /tmp can raise the alert.
        Path trueScript = work.resolve("upd2");
        Files.writeString(trueScript, "#!/bin/true\n");
        for (Path p : List.of(shScript, trueScript)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (FakeWebServer php = new FakeWebServer("php-fpm8.2")) {
            php.run(shScript + "; " + trueScript + "; exit 0");
            JsonNode sh = harness.await(d -> "exec".equals(text(d, "event.action"))
                    && shScript.toString().equals(text(d, "spawnwatch.script.path")), WAIT, "the #!/bin/sh script");
            assertEquals("/usr/bin/dash", text(sh, "process.executable"));
            JsonNode alert = harness.await(d -> "alert".equals(text(d, "event.kind"))
                    && trueScript.toString().equals(text(d, "spawnwatch.script.path")), WAIT, "an alert on upd2");
            assertEquals("/usr/bin/true", text(alert, "process.executable"));
        }
    }

    @Test
    void shouldKeepTheStartAndTheNameOfAPathLongerThanTheRecord() throws Exception {
        Path dir = work;
        for (int i = 0; i < 60; i++) {
            dir = dir.resolve(String.format("directory-%02d", i));
        }
        Files.createDirectories(dir);
        Path payload = Files.copy(Path.of("/bin/true"), dir.resolve("deeppayload"), StandardCopyOption.COPY_ATTRIBUTES);
        try (FakeWebServer nginx = new FakeWebServer("nginx")) {
            nginx.run(payload + "; exit 0");
            JsonNode e = harness.await(d -> "exec".equals(text(d, "event.action"))
                    && "deeppayload".equals(text(d, "process.name")), WAIT, "the deep payload");
            String exe = text(e, "process.executable");
            assertTrue(exe.startsWith(work + "/directory-00/directory-01/"), exe);
            assertTrue(exe.endsWith("/.../deeppayload"), exe);
            assertEquals(511, exe.length());
            assertTrue(e.path("spawnwatch").path("truncated").toString().contains("process.executable"));
            harness.await(d -> "alert".equals(text(d, "event.kind")) && exe.equals(text(d, "process.executable")),
                    WAIT, "an alert on the /tmp payload");
        }
    }

    // ---- 10. a reused pid never lends its past ----

    @Test
    void shouldNotLendADeadProcesssCommandLineToItsPidsNextOwner() throws Exception {
        // ns_last_pid of the initial pid namespace: the sensor sees global pids, so
        // that is where the pid must be reused (a child namespace's numbers are local).
        Path prog = cc("pidreuse", """
                #include <stdio.h>
                #include <sys/wait.h>
                #include <unistd.h>
                int main(int argc, char **argv) {
                    pid_t a = fork();
                    if (a == 0) {
                        execl("/bin/sh", "sh", "-c", argv[1], (char *)0);
                        _exit(1);
                    }
                    waitpid(a, 0, 0);
                    usleep(200000);
                    for (int i = 0; i < 500; i++) {
                        FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");
                        fprintf(f, "%d", a - 1);
                        fclose(f);
                        pid_t b = fork();
                        if (b == 0) {
                            if (getpid() != a)
                                _exit(3);
                            pid_t c = fork(); /* b never execs: a forked-only process at a's pid */
                            if (c == 0) {
                                execl("/bin/sh", "sh", "-c", argv[2], (char *)0);
                                _exit(1);
                            }
                            waitpid(c, 0, 0);
                            _exit(0);
                        }
                        int status;
                        waitpid(b, &status, 0);
                        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                            return 0;
                    }
                    return 2;
                }
                """);
        String first = marker();
        String second = marker();
        try (FakeWebServer nginx = new FakeWebServer("nginx")) {
            assertEquals(0, nginx.run(prog + " 'true " + first + "' 'true " + second + "'; exit $?"),
                    "pid not reused in 500 tries");
            JsonNode a = harness.await(execOf("sh", first), WAIT, "the first owner of the pid");
            JsonNode c = harness.await(execOf("sh", second), WAIT, "the child of the second owner");
            assertEquals(text(a, "process.pid"), text(c, "process.parent.pid"), "the same pid");
            assertEquals(prog + " true " + first + " true " + second, text(c, "process.parent.command_line"));
            assertEquals("nginx > pidreuse > pidreuse > sh", text(c, "spawnwatch.lineage.chain"));
            assertTrue(harness.sensor().counters().processTableStale() >= 0);
        }
    }

    // ---- listeners below the web server ----

    @Test
    void shouldReportABindShellButNotTheServersOwnListener() throws Exception {
        String listen = "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1); "
                + "print(s.getsockname()[1], flush=True); time.sleep(0.3)";
        try (FakeWebServer nginx = new FakeWebServer("nginx")) {
            nginx.run(PYTHON + " -c \"" + listen + "\" > " + work.resolve("port") + "; exit 0");
            int port = Integer.parseInt(Files.readString(work.resolve("port")).strip());
            Predicate<JsonNode> onPort = d -> "listen".equals(text(d, "event.action"))
                    && Integer.toString(port).equals(text(d, "destination.port"));
            JsonNode l = harness.await(onPort, WAIT, "the listen event");
            assertEquals("[\"network\"]", l.path("event").path("category").toString());
            assertEquals("[\"start\"]", l.path("event").path("type").toString());
            assertEquals("ingress", text(l, "network.direction"));
            assertEquals("tcp", text(l, "network.transport"));
            assertEquals("127.0.0.1", text(l, "destination.ip"));
            assertFalse(l.has("source"));
            assertEquals("1", text(l, "spawnwatch.lineage.depth"));
            harness.await(d -> onPort.test(d) && "alert".equals(text(d, "event.kind"))
                    && "Bind Shell from the Web Lineage".equals(text(d, "rule.name")), WAIT, "the bind-shell alert");

            // The server itself (an exec in place keeps it the root, depth 0) listening: no alert.
            nginx.run("exec " + PYTHON + " -c \"" + listen + "\" > " + work.resolve("port2"));
            int own = Integer.parseInt(Files.readString(work.resolve("port2")).strip());
            Predicate<JsonNode> onOwn = d -> "listen".equals(text(d, "event.action"))
                    && Integer.toString(own).equals(text(d, "destination.port"));
            JsonNode ownListen = harness.await(onOwn, WAIT, "the root's own listen");
            assertEquals("0", text(ownListen, "spawnwatch.lineage.depth"));
            String m = marker();
            nginx.run("sh -c 'echo " + m + " >/dev/null'");
            harness.await(execOf("sh", m), WAIT, "sentinel");
            assertFalse(harness.seen().stream().anyMatch(d -> onOwn.test(d) && "alert".equals(text(d, "event.kind"))));
            // The listen events and the alert hold only ECS fields of the right type.
            EcsSchema ecs = EcsSchema.load();
            assertEquals(List.of(), harness.seen().stream().filter(d -> onPort.test(d) || onOwn.test(d))
                    .flatMap(d -> ecs.violations(d).stream()).toList());
        }
    }

    // ---- helpers ----

    private static String marker() {
        return "m" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits until the sensor has made pid a root (the listen went up and was judged). */
    static void awaitRoot(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        var clock = new io.spawnwatch.recognition.ProcessClock(Path.of("/proc"));
        while (harness.sensor().recognizer().roots().alive(clock).stream().noneMatch(r -> r.pid() == pid)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pid " + pid + " never became a root");
            }
            Thread.sleep(20);
        }
    }

    private Path cc(String name, String source) throws IOException, InterruptedException {
        Path c = work.resolve(name + ".c");
        Files.writeString(c, source);
        Path out = work.resolve(name);
        Process p = new ProcessBuilder("cc", "-O1", "-pthread", "-o", out.toString(), c.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "cc " + name + ": " + log);
        return out;
    }

    private Process start(List<String> command) throws IOException {
        ProcessBuilder b = new ProcessBuilder(new ArrayList<>(command)).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        b.environment().put("PYTHONPATH", work.toString());
        return b.start();
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Process p = start(command);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    }

    /** Flushes with a sentinel through a fake web server, then checks no document names the marker. */
    private static void assertNoDocument(String marker) throws Exception {
        String sentinel = marker();
        try (FakeWebServer nginx = new FakeWebServer("nginx")) {
            nginx.run("sh -c 'echo " + sentinel + " >/dev/null'");
            harness.await(execOf("sh", sentinel), WAIT, "sentinel");
        }
        for (JsonNode d : harness.seen()) {
            assertFalse(d.toString().contains(marker), d.toString());
        }
    }
}
