package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.rules.RuleCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SigmaHQ's Linux rules (all 135 of sigmahq/linux/, unchanged) loaded into the
 * real sensor beside the shipped ones, and ten of them met by the examples
 * their authors describe, run for real by a PHP web shell under Debian's
 * nginx + php-fpm 8.2: each alert names the SigmaHQ rule and its authors. Only
 * harmless examples, on paths the test creates and removes (a directory under
 * /tmp and one under /dev/shm) and loopback: a program copied from /bin/true,
 * base64 piped to bash running echo, a fifo, a page fetched with wget, a TCP
 * connect nothing answers, a DNS query nothing answers.
 */
@Tag("kernel")
class SigmaHqRulesKernelTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static SensorHarness harness;
    private static RealWebServers web;
    private static Path tmp;
    private static Path shm;
    private static java.util.Set<String> sigmaHqIds;

    @BeforeAll
    static void start() throws Exception {
        List<String> dirs = new ArrayList<>();
        for (String category : List.of("process_creation", "network_connection", "file_event")) {
            dirs.add(Path.of(SigmaHqRulesKernelTest.class.getResource("/sigmahq/linux/" + category).toURI())
                    .toString());
        }
        SensorConfig d = ConfigLoader.defaults();
        sigmaHqIds = RuleCheck.ruleIds(d.detection(), false, dirs.stream().map(Path::of).toList());
        assertEquals(135, sigmaHqIds.size());
        harness = SensorHarness.start(d.withDetection(d.detection().withStatePath(null))
                .withRules(new SensorConfig.Rules(true, dirs, null)));
        web = new RealWebServers();
        tmp = shared(Files.createTempDirectory(Path.of("/tmp"), "sw-sigmahq-"));
        shm = shared(Files.createTempDirectory(Path.of("/dev/shm"), "sw-sigmahq-"));
        Files.writeString(web.dir.resolve("www/dns.php"), """
                <?php
                $q = pack('nnnnnn', 0x5357, 0x0100, 1, 0, 0, 0);
                foreach (explode('.', $_GET['name']) as $l) { $q .= chr(strlen($l)) . $l; }
                $q .= "\\0" . pack('nn', 1, 1);
                $s = stream_socket_client('udp://127.0.0.1:53', $errno, $errstr);
                fwrite($s, $q);
                fclose($s);
                echo "ok\\n";
                """);
    }

    /** A directory www-data can write to. */
    private static Path shared(Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }

    @AfterAll
    static void stop() throws Exception {
        for (Path p : new Path[] {tmp, shm}) {
            if (p != null) {
                RealWebServers.deleteTree(p);
            }
        }
        if (web != null) {
            web.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The alert of a rule on a document whose field holds the value. */
    private static Predicate<JsonNode> alert(String ruleId, String field, String value) {
        return a -> "alert".equals(text(a, "event.kind")) && ruleId.equals(text(a, "rule.id"))
                && value.equals(text(a, field));
    }

    /** Waits for the alert and checks it names the SigmaHQ rule and its authors (rule.author, one per name). */
    private static JsonNode await(String ruleId, String title, List<String> authors, String field, String value)
            throws InterruptedException {
        JsonNode a = harness.await(alert(ruleId, field, value), WAIT, title + " on " + field + "=" + value);
        assertEquals(title, text(a, "rule.name"));
        List<String> names = new ArrayList<>();
        a.path("rule").path("author").forEach(n -> names.add(n.asText()));
        assertEquals(authors, names);
        assertEquals(Long.toString(web.fpmPid()), text(a, "spawnwatch.lineage.root.pid"), a.toString());
        return a;
    }

    @Test
    void shouldAlertOnProgramsRunFromTmpAndDevShm() throws Exception {
        Path fromTmp = tmp.resolve(unique("run-"));
        Path fromShm = shm.resolve(unique("run-"));
        Files.copy(Path.of("/bin/true"), fromTmp, StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(Path.of("/bin/true"), fromShm, StandardCopyOption.COPY_ATTRIBUTES);
        web.shell(fromTmp + "; " + fromShm);
        await("312b42b1-bded-4441-8b58-163a3af58775", "Potentially Suspicious Execution From Tmp Folder",
                List.of("Joseliyo Sanchez", "@Joseliyo_Jstnk"), "process.executable", fromTmp.toString());
        await("5cd16c8f-44a6-4654-81e7-a84d6db507d4", "Process Execution From Shared Memory Directory",
                List.of("Stan Beukers"), "process.executable", fromShm.toString());
    }

    @Test
    void shouldAlertOnBase64PipedToAShell() throws Exception {
        String marker = unique("b");
        String encoded = Base64.getEncoder().encodeToString(("echo " + marker).getBytes(StandardCharsets.UTF_8));
        String command = "echo " + encoded + " | base64 -d | bash";
        assertEquals(marker + "\n", web.shell(command));
        String sh = "sh -c " + command;
        await("ba592c6d-6888-43c3-b8c6-689b8fe47337", "Linux Base64 Encoded Pipe to Shell",
                List.of("pH-T (Nextron Systems)"), "process.command_line", sh);
        await("880973f3-9708-491c-a77b-2a35a1921158", "Linux Shell Pipe to Shell",
                List.of("Florian Roth (Nextron Systems)"), "process.command_line", sh);
        JsonNode decode = await("e2072cab-8c9a-459b-b63c-40ae79e27031", "Decode Base64 Encoded Text",
                List.of("Daniil Yugoslavskiy", "oscd.community"), "process.command_line", "base64 -d");
        assertEquals("/usr/bin/base64", text(decode, "process.executable"));
    }

    @Test
    void shouldAlertOnAFifoInTmp() throws Exception {
        Path fifo = tmp.resolve(unique("f-"));
        web.shell("mkfifo " + fifo);
        assertTrue(Files.exists(fifo));
        await("999c3b12-0a8c-40b6-8e13-dd7d62b75c7a", "Potentially Suspicious Named Pipe Created Via Mkfifo",
                List.of("Nasreddine Bencherchali (Nextron Systems)"), "process.command_line", "mkfifo " + fifo);
    }

    @Test
    void shouldAlertOnWgetDownloadingIntoTmpAndOnTheFileItWrites() throws Exception {
        Path page = tmp.resolve(unique("page-"));
        String command = "wget -q -O " + page + " http://127.0.0.1:" + web.port + "/index.html";
        web.shell(command);
        assertEquals("<h1>static</h1>\n", Files.readString(page));
        await("cf610c15-ed71-46e1-bdf8-2bd1a99de6c4", "Download File To Potentially Suspicious Directory Via Wget",
                List.of("Joseliyo Sanchez", "@Joseliyo_Jstnk"), "process.command_line", command);
        JsonNode file = await("35a05c60-9012-49b6-a11f-6bab741c9f74", "Wget Creating Files in Tmp Directory",
                List.of("Joseliyo Sanchez", "@Joseliyo_Jstnk"), "file.path", page.toString());
        assertEquals("/usr/bin/wget", text(file, "process.executable"));
    }

    @Test
    void shouldAlertOnBashConnectingOutButNotOnAProgramAPageRuns() throws Exception {
        // /dev/tcp to 127.0.0.2: loopback, nothing listens there, and the rule excludes only 127.0.0.1 and 0.0.0.0.
        int port = RealWebServers.freePort();
        web.shell("bash -c 'exec 3<>/dev/tcp/127.0.0.2/" + port + "'");
        JsonNode connect = await("83dcd9f6-9ca8-4af7-a16e-a1c7a6b51871", "Linux Reverse Shell Indicator",
                List.of("Florian Roth (Nextron Systems)"), "destination.port", Integer.toString(port));
        assertEquals("127.0.0.2", text(connect, "destination.ip"));
        assertEquals("/usr/bin/bash", text(connect, "process.executable"));

        // A page that runs a program the way applications do raises no SigmaHQ alert (our new-terms rule
        // may: the first time this host sees it).
        String before = web.get("/date.php").strip();
        assertTrue(before.matches("[0-9]+"), before);
        harness.await(d -> "exec".equals(text(d, "event.action")) && "/usr/bin/date".equals(
                text(d, "process.executable")), WAIT, "date from date.php");
        for (JsonNode a : harness.seen()) {
            assertFalse("alert".equals(text(a, "event.kind")) && sigmaHqIds.contains(text(a, "rule.id"))
                    && "/usr/bin/date".equals(text(a, "process.executable")), a.toString());
        }
    }

    @Test
    void shouldAlertOnADnsQueryForAnNgrokTunnel() throws Exception {
        String name = unique("t") + ".tunnel.us.ngrok.com";
        assertEquals("ok\n", web.get("/dns.php?name=" + name));
        await("19bf6fdb-7721-4f3d-867f-53467f6a5db6", "Communication To Ngrok Tunneling Service - Linux",
                List.of("Florian Roth (Nextron Systems)"), "dns.question.name", name);
    }
}
