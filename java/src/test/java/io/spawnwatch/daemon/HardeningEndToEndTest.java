package io.spawnwatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spawnwatch.cli.CliRun;
import io.spawnwatch.kernel.KernelTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's attacks and faults against the real daemon, as its own process
 * with the real BPF object and a fake web server (a symlink named nginx to
 * bash).
 */
@Tag("kernel")
class HardeningEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDOS_RULE_ID = "0b7c2a51-1d1e-4c77-9a49-5a0f7b8f3c11";

    @TempDir
    Path dir;

    @BeforeEach
    void kernel() {
        KernelTestSupport.requireKernel();
    }

    private String config() throws java.io.IOException {
        Files.createDirectories(dir.resolve("rules.d"));
        return """
                rules:
                  paths: [%s]
                  exceptions: %s
                detection:
                  state_path: %s
                """.formatted(dir.resolve("rules.d"), dir.resolve("var/exceptions.yml"),
                dir.resolve("var/lib/baselines.db"));
    }

    @Test
    void shouldKeepDeliveringEventsAfterTheIssuesBacktrackingRegexInput() throws Exception {
        Files.createDirectories(dir.resolve("rules.d"));
        Files.writeString(dir.resolve("rules.d/redos.yml"), """
                title: Copied from the internet
                id: %s
                level: high
                logsource: {product: linux, category: process_creation}
                detection:
                    sel:
                        CommandLine|re: '(.*a){11}!x'
                    condition: sel
                """.formatted(REDOS_RULE_ID));
        try (DaemonProcess d = DaemonProcess.start(dir, config(), "022");
                FakeWebServer nginx = new FakeWebServer("nginx")) {
            d.awaitLog("ready:", Duration.ofSeconds(60));
            assertTrue(d.logText().contains("17 rules loaded, 0 refused"), d.logText());
            // '; true' keeps bash (the fake nginx) alive as the parent so each command is its child; exec in place is SensorEndToEndTest#shouldFollowAFakeServerThatExecsInPlace.
            nginx.run("/bin/true " + "a".repeat(1000) + "!; true");
            for (int i = 0; i < 20; i++) {
                nginx.run("/bin/echo after-redos-" + i + " >/dev/null; /bin/true after-redos-" + i + "; true");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int seen = 0;
            while (System.nanoTime() < deadline) {
                seen = 0;
                for (int i = 0; i < 20; i++) {
                    seen += d.outputText().contains("\"/bin/true after-redos-" + i + "\"") ? 1 : 0;
                }
                if (seen == 20) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(20, seen, "execs reported after the regex input; log:\n" + d.logText());
            assertTrue(d.outputText().contains("a".repeat(200) + "!"), "the attack's own exec is reported too");

            CliRun status = d.cli("status", "--json");
            assertEquals(0, status.code(), status.err());
            JsonNode s = JSON.readTree(status.out());
            assertEquals("[]", s.path("warnings").toString(), "nothing stuck or slow: " + s);
            JsonNode rule = JSON.readTree(d.cli("stats", "--json").out()).path("rules").path(REDOS_RULE_ID);
            assertEquals(0, rule.path("slow_evaluations").asLong(), rule.toString());
            assertTrue(rule.path("evaluated").asLong() >= 21, rule.toString());

            long start = System.nanoTime();
            assertEquals(0, d.terminate(Duration.ofSeconds(10)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 5_000, "SIGTERM took " + millis + " ms");
            assertTrue(d.logText().contains("stopped: every hook detached"), d.logText());
        }
    }

    @Test
    void shouldStopCleanlyOnSigtermDuringStartUp() throws Exception {
        try (DaemonProcess d = DaemonProcess.start(dir, config(), "022")) {
            d.awaitLog("rules loaded", Duration.ofSeconds(60)); // before the BPF load, the socket and "ready"
            int code = d.terminate(Duration.ofSeconds(30));
            assertEquals(0, code, d.logText());
            assertTrue(d.logText().contains("stopped"), d.logText());
            assertFalse(Files.exists(d.socket), "the socket file was left behind");
        }
    }

    @Test
    void shouldCreateItsFilesAndDirectoriesPrivateWhateverTheUmask() throws Exception {
        try (DaemonProcess d = DaemonProcess.start(dir, config(), "000")) {
            d.awaitLog("ready:", Duration.ofSeconds(60));
            CliRun added = d.cli("exceptions", "add", "--rule", "*", "--match",
                    "process.command_line=sh -c php -v");
            assertEquals(0, added.code(), added.err());
            assertEquals("rwx------", mode(dir.resolve("var/lib")));
            assertEquals("rw-------", mode(dir.resolve("var/lib/baselines.db")));
            assertEquals("rwx------", mode(dir.resolve("var")));
            assertEquals("rw-------", mode(dir.resolve("var/exceptions.yml")));
            assertEquals("rwx------", mode(dir.resolve("run")));
            assertEquals(0, d.terminate(Duration.ofSeconds(30)));
        }
    }

    @Test
    void shouldLoadTheOtherRulesWhenOneFileIsLatin1AndOneConditionTooDeepAndRejectABadReload() throws Exception {
        Files.createDirectories(dir.resolve("rules.d"));
        Files.write(dir.resolve("rules.d/a-latin1.yml"), ("title: caf\u00e9\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Files.writeString(dir.resolve("rules.d/b-deep.yml"), """
                title: Deep
                id: 6d1c2b1e-0000-4000-8000-0000000000d1
                logsource: {product: linux, category: process_creation}
                detection:
                    sel:
                        Image: /x
                    condition: %s
                """.formatted("(".repeat(3000) + "sel" + ")".repeat(3000)));
        Files.writeString(dir.resolve("rules.d/c-good.yml"), """
                title: Good
                id: 6d1c2b1e-0000-4000-8000-0000000000d2
                logsource: {product: linux, category: process_creation}
                detection:
                    sel:
                        Image: /x
                    condition: sel
                """);
        try (DaemonProcess d = DaemonProcess.start(dir, config(), "022")) {
            d.awaitLog("ready:", Duration.ofSeconds(60));
            String log = d.logText();
            assertTrue(log.contains("rule file refused: " + dir.resolve("rules.d/a-latin1.yml")
                    + ":1: line 1, column 11: not UTF-8 (byte 0xe9)"), log);
            assertTrue(log.contains("nested deeper than 64 levels"), log);
            assertTrue(log.contains("17 rules loaded, 2 refused"), log);
            assertFalse(log.contains("StackOverflowError"), log);

            CliRun reload = d.cli("rules", "reload");
            assertEquals(1, reload.code(), reload.out());
            assertTrue(reload.err().contains("rules not reloaded") && reload.err().contains("running rules are"
                    + " unchanged"), reload.err());
            CliRun status = d.cli("status", "--json");
            assertEquals(0, status.code(), "the control thread survived the reload: " + status.err());
            assertEquals(17, JSON.readTree(status.out()).path("rules_loaded").asInt());
            assertEquals(0, d.terminate(Duration.ofSeconds(30)));
        }
    }

    @Test
    void shouldHoldBackAFloodOfAlertsCountItInStatusAndSendTheCountInASummary() throws Exception {
        String flood = "3a0f5d2e-6b1c-4e8f-9a7d-0c2b4e6f8a10";
        Files.createDirectories(dir.resolve("rules.d"));
        Files.writeString(dir.resolve("rules.d/flood.yml"), """
                title: Flood
                id: %s
                level: medium
                logsource: {product: linux, category: process_creation}
                detection:
                    sel:
                        CommandLine|contains: sw-flood-
                    condition: sel
                """.formatted(flood));
        String config = config() + "  alert_bounds: {per_rule: 5, per_web_server: 1000, window: 3s}\n";
        try (DaemonProcess d = DaemonProcess.start(dir, config, "022");
                FakeWebServer nginx = new FakeWebServer("nginx")) {
            d.awaitLog("ready:", Duration.ofSeconds(60));
            StringBuilder script = new StringBuilder();
            for (int i = 0; i < 30; i++) { // unique command lines: repeat suppression does not apply
                script.append("/bin/true sw-flood-").append(i).append("; ");
            }
            nginx.run(script + "true");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (alertsOf(d, flood).size() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            // 30 matches of Flood (31 with the fake server's own exec, whose command line names them all).
            JsonNode rule = JSON.readTree(d.cli("stats", "--json").out()).path("rules").path(flood);
            deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (rule.path("matched").asLong() < 30 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                rule = JSON.readTree(d.cli("stats", "--json").out()).path("rules").path(flood);
            }
            long held = rule.path("held_back").asLong();
            assertEquals(5, rule.path("alerted").asLong(), rule.toString());
            assertEquals(rule.path("matched").asLong() - 5, held, rule.toString());
            assertTrue(held >= 25, rule.toString());
            assertEquals(5, alertsOf(d, flood).size(), "only the bound's worth of alerts went out");
            JsonNode status = JSON.readTree(d.cli("status", "--json").out());
            assertTrue(status.path("alerts_held_back").asLong() >= held, status.toString());
            assertTrue(status.path("warnings").toString().contains("alerts held back by the alert bounds: "),
                    status.toString());

            Thread.sleep(3500); // the window ends; the next event brings the summary
            // '; true': a child exec of the fake nginx, like the flood it follows.
            nginx.run("/bin/true sw-flood-late; true");
            deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            JsonNode summary = null;
            while (summary == null && System.nanoTime() < deadline) {
                for (JsonNode a : alertsOf(d, flood)) {
                    if (a.path("rule").path("name").asText().startsWith("Alerts held back: " + held
                            + " alerts of rule Flood")) {
                        summary = a;
                    }
                }
                Thread.sleep(100);
            }
            assertTrue(summary != null, "no summary alert:\n" + d.outputText());
            assertEquals(held, summary.path("spawnwatch").path("repeats_suppressed").asLong(), summary.toString());
            assertEquals(0, d.terminate(Duration.ofSeconds(30)));
        }
    }

    private static java.util.List<JsonNode> alertsOf(DaemonProcess d, String ruleId) throws Exception {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : d.outputText().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode doc = JSON.readTree(line);
            if ("alert".equals(doc.path("event").path("kind").asText())
                    && ruleId.equals(doc.path("rule").path("id").asText())) {
                out.add(doc);
            }
        }
        return out;
    }

    private static String mode(Path p) throws Exception {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
