package io.spawnwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.control.ControlServer;
import io.spawnwatch.control.FakeSensorControl;
import io.spawnwatch.control.SensorControl;
import io.spawnwatch.control.SubscriberHub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Every verb against a running control server with the in-memory sensor: output and exit codes. */
class CliTest {
    @TempDir
    Path dir;

    private FakeSensorControl sensor;
    private SubscriberHub hub;
    private ControlServer server;
    private Level savedLevel;

    /** What one CLI run printed, and its exit code. */
    record Run(int code, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        Logger control = Logger.getLogger("io.spawnwatch.control");
        savedLevel = control.getLevel();
        control.setLevel(Level.WARNING);
        sensor = new FakeSensorControl();
        hub = new SubscriberHub(SubscriberHub.Options.defaults());
        server = ControlServer.start(ControlServer.Options.defaults().withSocket(dir.resolve("sw.sock")), sensor, hub);
    }

    @AfterEach
    void stop() {
        server.close();
        Logger.getLogger("io.spawnwatch.control").setLevel(savedLevel);
    }

    private static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs {@code spawnwatch ARGS --socket <the test server>}. */
    private Run cli(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--socket";
        all[args.length + 1] = server.socket().toString();
        return run(Main.commandLine(), all);
    }

    private static void assertOk(Run r) {
        assertEquals(0, r.code(), "out=" + r.out() + " err=" + r.err());
        assertEquals("", r.err());
    }

    @Test
    void shouldPrintStatusAsAReadableSummary() {
        Run r = cli("status");
        assertOk(r);
        assertEquals("""
                spawnwatch 0.1.0-test, up 1h2m3s, kernel 6.18.0-test
                config       /etc/spawnwatch/spawnwatch.yml
                rules        3 loaded, 2 enabled
                ring buffer  16 MiB
                rate         12.5 events/s, 0.3 alerts/s
                drops        kernel 0, user 2, slow subscribers 0
                clients      1 connected, 0 refused since start
                held back    0 alerts over the alert bounds
                learning     until 2026-12-07T12:00:00Z (rarity and new-terms rules record without alerting)

                PROBE    HOOK                        FALLBACK
                exec     tp_btf/sched_process_exec   -
                connect  tp_btf/inet_sock_set_state  fentry/tcp_connect: EPERM (no trampolines); kprobe/tcp_connect: ENOENT

                PID   WEB SERVER  WHY
                4242  node        runtime node, listening on TCP port 3000
                """, r.out());
    }

    @Test
    void shouldPrintTheRawResultAsOneJsonLineWithJson() {
        Run r = cli("webservers", "list", "--json");
        assertOk(r);
        assertEquals("{\"webservers\":[{\"name\":\"nginx\",\"prefix\":false,\"source\":\"builtin\"},"
                + "{\"name\":\"php-fpm\",\"prefix\":true,\"source\":\"builtin\"}],"
                + "\"roots\":[{\"pid\":4242,\"name\":\"node\",\"reason\":\"runtime node, listening on TCP port 3000\","
                + "\"since\":1764500000000}]}\n", r.out());
    }

    @Test
    void shouldListShowEnableAndDisableRules() {
        Run list = cli("rules", "list");
        assertOk(list);
        assertEquals("""
                ID               ENABLED  LEVEL   TITLE
                web-shell-spawn  yes      high    Web server spawns a shell
                tmp-exec         yes      high    Execution from /tmp by a web server descendant
                rare-child       no       medium  Rare child of a web server
                """, list.out());
        Run show = cli("rules", "show", "tmp-exec");
        assertOk(show);
        assertEquals("""
                id           tmp-exec
                title        Execution from /tmp by a web server descendant
                level        high
                enabled      yes
                source       builtin
                tags         attack.t1505.003
                description  Execution from /tmp by a web server descendant.

                title: Execution from /tmp by a web server descendant
                id: tmp-exec
                """, show.out());
        assertEquals("rule rare-child is enabled\n", cli("rules", "enable", "rare-child").out());
        assertEquals("rule tmp-exec is disabled\n", cli("rules", "disable", "tmp-exec").out());
    }

    @Test
    void shouldExitOneWithTheSensorsMessageForAnUnknownRule() {
        Run r = cli("rules", "show", "nope");
        assertEquals(ExitCodes.SENSOR_ERROR, r.code());
        assertEquals("", r.out());
        assertEquals("spawnwatch: not_found: no rule with id nope; `spawnwatch rules list` shows the loaded rules\n", r.err());
    }

    @Test
    void shouldPrintEveryErrorOfARejectedReload() {
        sensor.nextReload(List.of(), List.of("rules/a.yml:3: detection.condition: unknown selection 'sel2'",
                "rules/b.yml:1: level: expected one of informational, low, medium, high, critical"));
        Run r = cli("rules", "reload");
        assertEquals(1, r.code());
        assertEquals("""
                spawnwatch: rejected: rules not reloaded: 2 error(s); the running rules are unchanged
                  rules/a.yml:3: detection.condition: unknown selection 'sel2'
                  rules/b.yml:1: level: expected one of informational, low, medium, high, critical
                """, r.err());
        sensor.nextReload(List.of(new SensorControl.RuleDetail("x", "X", "low", true, "x.yml", "", List.of(), "")),
                List.of());
        assertEquals("reloaded: 1 rules loaded, 1 enabled\n", cli("rules", "reload").out());
    }

    @Test
    void shouldAddListAndRemoveWebServers() {
        assertEquals("watching web server caddy (exact)\n", cli("webservers", "add", "caddy").out());
        assertEquals("watching web server uwsgi (prefix)\n", cli("webservers", "add", "uwsgi", "--prefix").out());
        assertEquals("""
                NAME     MATCH   SOURCE
                nginx    exact   builtin
                php-fpm  prefix  builtin
                caddy    exact   runtime
                uwsgi    prefix  runtime

                PID   WEB SERVER  WHY
                4242  node        runtime node, listening on TCP port 3000
                """, cli("webservers", "list").out());
        assertEquals("no longer watching web server caddy\n", cli("webservers", "remove", "caddy").out());
        Run again = cli("webservers", "remove", "caddy");
        assertEquals(1, again.code());
        assertEquals("spawnwatch: not_found: no web-server name caddy in the kernel filter\n", again.err());
    }

    @Test
    void shouldAddUsersByNameOrUidAndListThem() {
        assertEquals("watching web-server user uid=48 (apache)\n", cli("users", "add", "apache").out());
        assertEquals("watching web-server user uid=498\n", cli("users", "add", "498").out());
        assertEquals("""
                UID  NAME      SOURCE
                33   www-data  builtin
                48   apache    runtime
                498  -         runtime
                """, cli("users", "list").out());
        assertEquals("no longer watching web-server user uid=498\n", cli("users", "remove", "498").out());
    }

    @Test
    void shouldAddListAndRemoveExceptions() {
        Run add = cli("exceptions", "add", "--rule", "web-shell-spawn", "--match",
                "process.command_line=sh -c uptime", "--match", "user.name=www-data", "--comment", "monitoring");
        assertOk(add);
        assertEquals("added exception ex-1 for rule web-shell-spawn: process.command_line=sh -c uptime"
                + " user.name=www-data\n", add.out());
        assertEquals("""
                ID    RULE             MATCH                                                 COMMENT
                ex-1  web-shell-spawn  process.command_line=sh -c uptime user.name=www-data  monitoring
                """, cli("exceptions", "list").out());
        assertEquals("removed exception ex-1\n", cli("exceptions", "remove", "ex-1").out());
    }

    @Test
    void shouldPrintStatsTablesAndRefreshWithWatch() {
        Run r = cli("stats", "--watch", "--count", "2", "--interval", "10ms");
        assertOk(r);
        String[] blocks = r.out().split("\n\nstats at ");
        assertEquals(2, blocks.length, r.out());
        assertTrue(blocks[0].startsWith("stats at "), blocks[0]);
        assertTrue(blocks[1].contains("""
                HOOK     EVENTS
                exec     120
                connect  7

                RULE             MATCHES
                web-shell-spawn  3

                SINK    WRITTEN
                stdout  3

                control: connections=1 accepted=1 refused=0 requests="""), blocks[1]);
        Run json = cli("stats", "--watch", "--count", "2", "--interval", "10ms", "--json");
        assertEquals(2, json.out().lines().count());
    }

    @Test
    void shouldPrintRecentAlertsAndSayWhenThereAreNone() {
        assertEquals("no alerts in the last 1h\n", cli("alerts", "--since", "1h").out());
        hub.publishAlert(("{\"@timestamp\":\"2026-11-27T10:00:00Z\",\"rule\":{\"name\":\"web-shell-spawn\"},"
                + "\"user\":{\"name\":\"www-data\"},\"process\":{\"name\":\"sh\",\"pid\":4242,\"command_line\":"
                + "\"sh -c id\",\"parent\":{\"name\":\"nginx\"}}}\n").getBytes(StandardCharsets.UTF_8));
        Run r = cli("alerts", "--since", "1h");
        assertOk(r);
        assertEquals("2026-11-27T10:00:00Z  web-shell-spawn  user=www-data  nginx > sh[4242]  sh -c id\n", r.out());
        Run json = cli("alerts", "--json");
        assertEquals("{\"@timestamp\":\"2026-11-27T10:00:00Z\",\"rule\":{\"name\":\"web-shell-spawn\"},\"user\":"
                + "{\"name\":\"www-data\"},\"process\":{\"name\":\"sh\",\"pid\":4242,\"command_line\":\"sh -c id\","
                + "\"parent\":{\"name\":\"nginx\"}}}\n", json.out());
    }

    @Test
    void shouldPrintRecentEventsThatMatchTheFilter() {
        hub.publishEvent(("{\"@timestamp\":\"t1\",\"event\":{\"action\":\"exec\"},\"process\":{\"name\":\"sh\","
                + "\"pid\":1,\"command_line\":\"sh -c id\"}}").getBytes(StandardCharsets.UTF_8));
        hub.publishEvent(("{\"@timestamp\":\"t2\",\"event\":{\"action\":\"connection_attempted\"},\"process\":"
                + "{\"name\":\"curl\",\"pid\":2},\"destination\":{\"ip\":\"203.0.113.7\",\"port\":443}}")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("t2  connection_attempted  user=-  curl[2]  -> 203.0.113.7:443\n",
                cli("events", "--filter", "process.name=curl").out());
        assertEquals("t1  exec  user=-  sh[1]  sh -c id\nt2  connection_attempted  user=-  curl[2]  -> 203.0.113.7:443\n",
                cli("events").out());
        assertEquals("no recent events\n", cli("events", "--filter", "process.name=php").out());
    }

    @Test
    void shouldFollowAlertsUntilTheSensorStops() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        Thread follower = Thread.ofPlatform().start(() -> cl.execute("alerts", "--follow", "--json", "--socket",
                server.socket().toString()));
        long deadline = System.currentTimeMillis() + 5000;
        while (hub.subscribers().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        hub.publishAlert("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        hub.publishAlert("{\"n\":2}".getBytes(StandardCharsets.UTF_8));
        while (!out.toString().contains("{\"n\":2}") && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        server.close();
        follower.join(5000);
        assertEquals("{\"n\":1}\n{\"n\":2}\n", out.toString());
        assertEquals("spawnwatch: the sensor is shutting down; stream ended\n", err.toString());
    }

    @Test
    void shouldAskTheSensorToShutDown() throws Exception {
        assertEquals("the sensor is stopping\n", cli("shutdown").out());
        assertTrue(sensor.awaitShutdown(5000));
    }

    @Test
    void shouldExitThreeWithWhatToDoWhenNothingListens() {
        Path none = dir.resolve("none.sock");
        Run r = run(Main.commandLine(), "status", "--socket", none.toString());
        assertEquals(ExitCodes.UNREACHABLE, r.code());
        assertEquals("", r.out());
        assertEquals("spawnwatch: cannot reach the sensor at " + none + ": no socket there; start the sensor with"
                + " `spawnwatch run`, or pass --socket PATH (or set SPAWNWATCH_SOCKET)\n", r.err());
    }

    @Test
    void shouldExitThreeWhenTheSocketFileIsStale() throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(stale));
        }
        Run r = run(Main.commandLine(), "rules", "list", "--socket", stale.toString());
        assertEquals(3, r.code());
        assertEquals("spawnwatch: cannot reach the sensor at " + stale + ": nothing is listening (the sensor is not"
                + " running); start the sensor with `spawnwatch run`, or pass --socket PATH (or set"
                + " SPAWNWATCH_SOCKET)\n", r.err());
    }

    /** A one-shot peer that sends {@code reply} (possibly nothing) to whoever connects, then closes. */
    private Path fakePeer(String reply) throws Exception {
        Path p = dir.resolve("fake" + System.nanoTime() + ".sock");
        ServerSocketChannel ssc = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ssc.bind(UnixDomainSocketAddress.of(p));
        Thread.ofPlatform().daemon().start(() -> {
            try (ssc; SocketChannel c = ssc.accept()) {
                c.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
                c.shutdownOutput();
                Thread.sleep(200);
            } catch (Exception e) {
                // test helper
            }
        });
        return p;
    }

    @Test
    void shouldExitOneWithTheRefusalWhenTheSensorForbidsThisUser() throws Exception {
        Path p = fakePeer("{\"v\":1,\"id\":null,\"error\":{\"code\":\"forbidden\",\"message\":\"uid=1000 is not"
                + " allowed: only root and the users and groups the sensor's configuration names may use this"
                + " socket\"}}\n");
        Run r = run(Main.commandLine(), "status", "--socket", p.toString());
        assertEquals(1, r.code());
        assertEquals("spawnwatch: forbidden: uid=1000 is not allowed: only root and the users and groups the sensor's"
                + " configuration names may use this socket\n", r.err());
    }

    @Test
    void shouldExitThreeWhenTheConnectionIsLostBeforeTheAnswer() throws Exception {
        Path p = fakePeer("");
        Run r = run(Main.commandLine(), "status", "--socket", p.toString());
        assertEquals(3, r.code());
        assertEquals("spawnwatch: lost the connection to the sensor at " + p + " before it answered; it may have"
                + " stopped: check its log\n", r.err());
    }

    @Test
    void shouldExitTwoWithOneLineAndAPointerToHelpOnUsageErrors() {
        Run unknown = cli("status", "--bogus");
        assertEquals(ExitCodes.USAGE, unknown.code());
        assertEquals("spawnwatch: Unknown option: '--bogus'\nTry 'spawnwatch status --help' for more information.\n",
                unknown.err());
        Run group = run(Main.commandLine(), "rules");
        assertEquals(2, group.code(), "a verb group needs its sub-verb");
        assertEquals("spawnwatch: Missing required subcommand\nTry 'spawnwatch rules --help' for more information.\n",
                group.err());
        Run since = cli("alerts", "--since", "yesterday");
        assertEquals(2, since.code());
        assertEquals("spawnwatch: Invalid value for option '--since': 'yesterday' is not a duration: use e.g. 30s,"
                + " 15m, 2h, 1d, 2w or 1h30m\nTry 'spawnwatch alerts --help' for more information.\n", since.err());
        Run filter = cli("events", "--filter", "process.name");
        assertEquals(2, filter.code());
        assertEquals("spawnwatch: --filter: filter 'process.name' is not FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT with"
                + " an ECS field name, e.g. process.name=sh\nTry 'spawnwatch events --help' for more information.\n",
                filter.err());
        assertEquals(2, cli("events", "--follow", "--last", "3").code());
        assertEquals(2, cli("exceptions", "add", "--rule", "x").code(), "--match is required");
        Run typo = run(Main.commandLine(), "stauts");
        assertEquals(2, typo.code());
        assertEquals("""
                spawnwatch: Unmatched argument at index 0: 'stauts'
                Did you mean: spawnwatch stats or spawnwatch status or spawnwatch events?
                Try 'spawnwatch --help' for more information.
                """, typo.err());
    }

    @Test
    void shouldListVerbsAndExitCodesInHelpOnEveryLevel() {
        Run root = run(Main.commandLine(), "--help");
        assertEquals(0, root.code());
        for (String verb : List.of("status", "stats", "rules", "webservers", "users", "exceptions", "alerts",
                "events", "shutdown", "help")) {
            assertTrue(root.out().contains("\n  " + verb + " "), verb + " in\n" + root.out());
        }
        String codes = """
                Exit codes:
                  0   ok
                  1   the sensor answered with an error
                  2   usage error (wrong option or argument)
                  3   sensor not reachable over its socket
                """;
        assertTrue(root.out().contains(codes), root.out());
        Run verb = run(Main.commandLine(), "rules", "reload", "--help");
        assertTrue(verb.out().startsWith("Re-read the rule files; all or nothing.\nUsage: spawnwatch rules reload"),
                verb.out());
        assertTrue(verb.out().contains(codes), verb.out());
        assertTrue(verb.out().contains("--socket=PATH"), verb.out());
        assertTrue(run(Main.commandLine(), "help", "alerts").out().contains("--since=DURATION"));
    }

    @Command(name = "extra", header = "A verb added through the factory, as the daemon adds run.")
    static final class ExtraVerb implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println("running");
            return 0;
        }
    }

    @Test
    void shouldAcceptExtraVerbsFromTheFactory() {
        Run r = run(Main.commandLine(new ExtraVerb()), "extra");
        assertEquals(0, r.code());
        assertEquals("running\n", r.out());
        assertTrue(run(Main.commandLine(new ExtraVerb()), "--help").out().contains("\n  extra "));
    }
}
