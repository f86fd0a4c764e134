package io.spawnwatch.cli;

import static io.spawnwatch.incident.Docs.SECOND;
import static io.spawnwatch.incident.Docs.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spawnwatch.control.ControlServer;
import io.spawnwatch.control.FakeSensorControl;
import io.spawnwatch.control.SensorControl.IncidentDetail;
import io.spawnwatch.control.SubscriberHub;
import io.spawnwatch.incident.Docs;
import io.spawnwatch.incident.IncidentSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `spawnwatch incidents` and `spawnwatch incident show` against a control server with the in-memory sensor. */
class IncidentCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ControlServer server;

    /** What one CLI run printed, and its exit code. */

    @BeforeEach
    void start() throws Exception {
        FakeSensorControl sensor = new FakeSensorControl();
        sensor.addIncident(incident());
        server = ControlServer.start(ControlServer.Options.defaults().withSocket(dir.resolve("sw.sock")), sensor,
                new SubscriberHub(SubscriberHub.Options.defaults()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A php-fpm worker's shell that ran id and connected out: two processes, two alerts, one connection. */
    static IncidentDetail incident() {
        ObjectNode sh = parent(Docs.exec(T0 + SECOND, 100, 300, 101, "sh", "sh", "-c", "id"), "php-fpm8.2");
        ObjectNode id = parent(Docs.exec(T0 + 2 * SECOND, 100, 301, 300, "id", "id"), "sh");
        ObjectNode c2 = parent(Docs.connect(T0 + 5 * SECOND, 100, 300, 101, "sh", "203.0.113.9", 4444), "php-fpm8.2");
        List<JsonNode> docs = List.of(sh, Docs.alert(sh, "r-cmd", "Suspicious Command", 47), id, c2,
                Docs.alert(c2, "r-net", "Unusual Network Connection", 73));
        IncidentSummary s = new IncidentSummary(1, 100, 77, "php-fpm8.2", "/usr/sbin/php-fpm8.2",
                "2026-11-30T12:00:01Z", "2026-11-30T12:00:05Z", "2026-11-30T12:00:01Z", "2026-11-30T12:00:05Z", 73,
                "high", 2, 2, 1, 5, 0, 2345);
        return new IncidentDetail(s, docs);
    }

    private static ObjectNode parent(ObjectNode d, String name) {
        ((ObjectNode) d.path("process").path("parent")).put("name", name);
        return d;
    }

    @Test
    void shouldListIncidentsOneLineEach() {
        CliRun r = CliRun.against(server.socket(), "incidents");
        assertEquals(new CliRun(0, """
                ID  WEB SERVER       FIRST                 LAST                  LEVEL  PROCESSES  ALERTS  CONNECTIONS
                1   php-fpm8.2[100]  2026-11-30T12:00:01Z  2026-11-30T12:00:05Z  high   2          2       1
                """, ""), r);
        CliRun recent = CliRun.against(server.socket(), "incidents", "--since", "1h");
        assertEquals(new CliRun(0, "no incidents in the last 1h\n", ""), recent);
    }

    @Test
    void shouldPrintTheRawListWithJson() throws Exception {
        CliRun r = CliRun.against(server.socket(), "incidents", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode i = JSON.readTree(r.out()).path("incidents").get(0);
        assertEquals(1, i.path("id").asInt());
        assertEquals("php-fpm8.2", i.path("root_name").asText());
        assertEquals(77, i.path("root_start_boot_ns").asLong());
        assertEquals("high", i.path("level").asText());
    }

    @Test
    void shouldShowTheIncidentAsATreeWithAlertsBesideTheirProcess() {
        CliRun r = CliRun.against(server.socket(), "incident", "show", "1");
        assertEquals(new CliRun(0, """
                incident 1  php-fpm8.2[100]  2026-11-30 12:00:01 to 12:00:05 UTC  high  2 processes  2 alerts  1 connection
                php-fpm8.2[100]  /usr/sbin/php-fpm8.2
                └─ php-fpm8.2[101]
                   └─ 12:00:01.000  sh[300]  www-data  sh -c id
                      │    ! medium  Suspicious Command
                      ├─ 12:00:02.000  id[301]  www-data  id
                      └╴ 12:00:05.000  connection_attempted  tcp 203.0.113.9:4444
                           ! high    Unusual Network Connection
                """, ""), r);
    }

    @Test
    void shouldColourTheTreeWhenAsked() {
        CliRun r = CliRun.against(server.socket(), "incident", "show", "1", "--color", "always");
        assertTrue(r.out().contains("\u001b[1;31m! high    Unusual Network Connection\u001b[0m"), r.out());
        assertTrue(r.out().contains("\u001b[33m! medium  Suspicious Command\u001b[0m"), r.out());
    }

    @Test
    void shouldPrintTheTreeAsJsonForScripts() throws Exception {
        CliRun r = CliRun.against(server.socket(), "incident", "show", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode o = JSON.readTree(r.out());
        JsonNode sh = o.path("root").path("children").get(0).path("children").get(0);
        assertEquals("sh", sh.path("name").asText());
        assertEquals("r-cmd", sh.path("alerts").get(0).path("rule_id").asText());
        assertEquals("tcp 203.0.113.9:4444", sh.path("activities").get(0).path("summary").asText());
        assertEquals("r-net", sh.path("activities").get(0).path("alerts").get(0).path("rule_id").asText());
        assertEquals("id", sh.path("children").get(0).path("name").asText());
        assertEquals(5, o.path("documents").size());
        assertEquals(2, o.path("alerts").size());
    }

    @Test
    void shouldWriteTheHtmlPageNotWorldReadable() throws Exception {
        Path page = dir.resolve("incident-1.html");
        CliRun r = CliRun.against(server.socket(), "incident", "show", "1", "--html", page.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("incident 1 written to " + page + " ("), r.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(page)));
        String html = Files.readString(page);
        assertTrue(html.contains("<svg id=\"tree\""), "the tree as a picture");
        assertTrue(html.contains("Content-Security-Policy"), "no network");
    }

    @Test
    void shouldSayWhichIncidentIsMissing() {
        CliRun r = CliRun.against(server.socket(), "incident", "show", "9");
        assertEquals(new CliRun(1, "", "spawnwatch: not_found: no incident with id 9; `spawnwatch incidents` lists them\n"),
                r);
    }

    @Test
    void shouldRefuseAPageItCannotWrite() {
        CliRun r = CliRun.against(server.socket(), "incident", "show", "1", "--html", dir.resolve("no/such/dir/x.html").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("spawnwatch: --html " + dir.resolve("no/such/dir/x.html")
                + ": cannot write the page: "), r.err());
    }
}
