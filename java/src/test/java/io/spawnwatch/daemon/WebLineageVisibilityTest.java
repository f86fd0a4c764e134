package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.ecs.EcsSchema;
import io.spawnwatch.event.FileRecordDescriptor;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Files, UDP and DNS, privilege and fileless execution from Debian's nginx +
 * php-fpm 8.2, under the real sensor with the shipped rules: each attack step
 * gives its event and its alert, and what the servers do on their own (PHP
 * sessions and uploads, a CMS cache, nginx reopening its log) gives events
 * but no alert. Everything is written under the servers' temporary directory
 * (a /tmp directory, so "writable"); the web root and a cron directory there
 * are added to the kernel's path maps as a web root and a persistence place.
 * Loopback counts as external, so that a UDP callback to 127.0.0.1 counts.
 */
@Tag("kernel")
class WebLineageVisibilityTest {
    static final String PAYLOAD = "0cd36383-b27d-4a43-82c8-d877c7ffaa74";
    static final String EXEC_BIT = "6e779f1d-7c53-4367-af14-2ace84225a83";
    static final String PERSISTENCE = "a23ce6b0-e16e-44b6-8fa6-ab204292e6c3";
    static final String WEB_ROOT = "395b3a7d-0722-46a9-9ef0-de4cd82b87e4";
    static final String UDP_DNS = "905cc854-9c15-4e97-8276-3c82f27b0055";
    static final String ROOT_BY_EXEC = "08ca5038-2560-460d-850a-ec24c5411457";
    static final String ROOT_BY_CALL = "b61b901d-75ec-4b11-8157-82dd1cdf0097";
    static final String FILELESS = "5925888d-4e01-4f0e-a34a-9539f0f69d8e";
    private static final List<String> OUR_RULES = List.of(PAYLOAD, EXEC_BIT, PERSISTENCE, WEB_ROOT, UDP_DNS,
            ROOT_BY_EXEC, ROOT_BY_CALL, FILELESS);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static SensorHarness harness;
    private static RealWebServers web;
    private static Path drop;
    private static Path www;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final EcsSchema ECS = EcsSchema.load();
    private static int checkedDocuments;

    @BeforeAll
    static void start() throws Exception {
        SensorConfig defaults = ConfigLoader.defaults();
        harness = SensorHarness.start(defaults.withDetection(defaults.detection().withStatePath(null)
                .withInternalRanges(List.of()).withLoopbackRanges(List.of())));
        web = new RealWebServers("php_admin_value[session.save_path] = {dir}/sessions", true);
        www = web.dir.resolve("www");
        shared(web.dir.resolve("sessions"));
        drop = shared(web.dir.resolve("drop"));
        harness.sensor().filter().addFilePrefix(www + "/", FileRecordDescriptor.CLASS_WEB_ROOT);
        harness.sensor().filter().addFilePrefix(web.dir + "/etc/cron.d/", FileRecordDescriptor.CLASS_PERSISTENCE);
        Files.writeString(www.resolve("fs.php"), """
                <?php
                $p = $_GET['p']; $f = $_GET['f'] ?? null;
                switch ($_GET['op']) {
                    case 'put': file_put_contents($p, "payload\\n"); break;
                    case 'append': file_put_contents($p, "ssh-ed25519 AAAAC3Nz sw-test\\n", FILE_APPEND); break;
                    case 'trunc': fclose(fopen($p, 'w')); break;
                    case 'chmod': chmod($p, 0755); break;
                    case 'rename': rename($f, $p); break;
                    case 'link': link($f, $p); break;
                    case 'symlink': symlink($f, $p); break;
                    case 'mkdir': mkdir($p, 0700, true); break;
                }
                echo "ok\\n";
                """);
        Files.writeString(www.resolve("session.php"), "<?php session_start(); $_SESSION['n'] = 1; echo session_id();\n");
        Files.writeString(www.resolve("upload.php"), "<?php echo $_FILES['f']['tmp_name'] ?? 'none';\n");
        Files.writeString(www.resolve("cache.php"), """
                <?php
                $d = __DIR__ . '/wp-content/cache';
                @mkdir($d, 0755, true);
                file_put_contents("$d/page.html", "<p>cached</p>");
                file_put_contents("$d/compiled.php", "<?php return ['cached' => true];");
                echo "ok\\n";
                """);
        Files.writeString(www.resolve("dns.php"), """
                <?php
                $q = pack('nnnnnn', 0x1234, 0x0100, 1, 0, 0, 0);
                foreach (explode('.', $_GET['name']) as $l) { $q .= chr(strlen($l)) . $l; }
                $q .= "\\0" . pack('nn', (int) $_GET['type'], 1);
                $s = stream_socket_client('udp://127.0.0.1:53', $errno, $errstr);
                fwrite($s, $q);
                fclose($s);
                echo "ok\\n";
                """);
        // www-data may write in the servers' directory only where the test says so.
        Files.setPosixFilePermissions(www, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    /** A directory www-data can write to. */
    private static Path shared(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }

    /**
     * Every document this class's tests made (file, UDP, DNS and
     * privilege events and their alerts) holds only ECS fields of the right
     * type, as RealRunEcsTest checks exec and connect documents.
     */
    @AfterEach
    void checkTheDocumentsAgainstEcs() {
        List<JsonNode> docs = harness.seen();
        List<String> problems = new ArrayList<>();
        for (JsonNode d : docs.subList(checkedDocuments, docs.size())) {
            for (String v : ECS.violations(d)) {
                problems.add(v + " (event.action " + text(d, "event.action") + ", event.id " + text(d, "event.id") + ")");
            }
        }
        checkedDocuments = docs.size();
        assertEquals(List.of(), problems);
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) {
            web.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    private static String fs(String op, Path p) throws Exception {
        return web.get("/fs.php?op=" + op + "&p=" + enc(p.toString()));
    }

    private static String fs(String op, Path from, Path p) throws Exception {
        return web.get("/fs.php?op=" + op + "&f=" + enc(from.toString()) + "&p=" + enc(p.toString()));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Predicate<JsonNode> fileEvent(String action, Path path) {
        return d -> "event".equals(text(d, "event.kind")) && action.equals(text(d, "event.action"))
                && path.toString().equals(text(d, "file.path"));
    }

    private static Predicate<JsonNode> alert(String ruleId, String field, String value) {
        return d -> "alert".equals(text(d, "event.kind")) && ruleId.equals(text(d, "rule.id"))
                && value.equals(text(d, field));
    }

    private static JsonNode await(Predicate<JsonNode> p, String what) throws InterruptedException {
        return harness.await(p, WAIT, what);
    }

    /** Waits for an event written after everything before it, then checks no rule of ours alerted on value. */
    private static void assertNoAlertOn(String field, String value) throws Exception {
        Path marker = drop.resolve(unique("marker-"));
        fs("put", marker);
        await(fileEvent("creation", marker), "the marker written after the benign steps");
        for (JsonNode d : harness.seen()) {
            if ("alert".equals(text(d, "event.kind")) && OUR_RULES.contains(text(d, "rule.id"))) {
                String v = text(d, field);
                assertTrue(v == null || !v.contains(value), "unexpected alert: " + d);
            }
        }
    }

    @Test
    void shouldReportAndAlertOnAPayloadDroppedByPhpAndMadeExecutable() throws Exception {
        Path payload = drop.resolve(unique(".x"));
        fs("put", payload);
        JsonNode created = await(fileEvent("creation", payload), "php-fpm creating the payload");
        assertEquals("file", created.path("event").path("category").get(0).asText());
        assertEquals("creation", created.path("event").path("type").get(0).asText());
        assertEquals("php-fpm8.2", text(created, "process.name"));
        assertEquals("33", text(created, "user.id"));
        assertEquals(payload.getFileName().toString(), text(created, "file.name"));
        assertEquals(drop.toString(), text(created, "file.directory"));
        assertEquals("writable", text(created, "spawnwatch.file.class"));
        assertEquals("1", text(created, "spawnwatch.lineage.depth"));
        await(alert(PAYLOAD, "file.path", payload.toString()), "payload alert");

        fs("chmod", payload);
        JsonNode chmod = await(fileEvent("chmod", payload), "chmod +x of the payload");
        assertEquals("0755", text(chmod, "file.mode"));
        await(alert(EXEC_BIT, "file.path", payload.toString()), "execute-bit alert");

        fs("trunc", payload);
        await(fileEvent("truncate", payload), "the payload truncated by fopen(w)");
        fs("append", payload);
        await(fileEvent("write", payload), "the payload opened for appending");
    }

    @Test
    void shouldReportAndAlertOnANewWebShellWrittenRenamedOrLinkedIntoTheWebRoot() throws Exception {
        Path direct = www.resolve(unique("s") + ".php");
        fs("put", direct);
        JsonNode created = await(fileEvent("creation", direct), "a PHP file written into the web root");
        assertEquals("web_root", text(created, "spawnwatch.file.class"));
        assertEquals("php", text(created, "file.extension"));
        await(alert(WEB_ROOT, "file.path", direct.toString()), "web-root alert");

        Path staged = drop.resolve(unique("up") + ".txt");
        Path renamed = www.resolve(unique("r") + ".phtml");
        fs("put", staged);
        fs("rename", staged, renamed);
        await(fileEvent("rename", renamed), "a staged file renamed into the web root");
        await(alert(WEB_ROOT, "file.path", renamed.toString()), "web-root alert for the rename");

        Path linked = www.resolve(unique("l") + ".php");
        fs("symlink", renamed, linked);
        await(fileEvent("link", linked), "a symbolic link made in the web root");
        await(alert(WEB_ROOT, "file.path", linked.toString()), "web-root alert for the link");
    }

    @Test
    void shouldReportAndAlertOnAnSshKeyAndACronFileWrittenByPhp() throws Exception {
        Path ssh = shared(web.dir.resolve("home")).resolve("www-data/.ssh");
        fs("mkdir", ssh);
        Path keys = ssh.resolve("authorized_keys");
        fs("append", keys);
        JsonNode key = await(fileEvent("creation", keys), "authorized_keys written");
        assertEquals("persistence", text(key, "spawnwatch.file.class"));
        await(alert(PERSISTENCE, "file.path", keys.toString()), "persistence alert for the key");

        shared(web.dir.resolve("etc/cron.d"));
        Path cron = web.dir.resolve("etc/cron.d/" + unique("job"));
        fs("put", cron);
        assertEquals("persistence", text(await(fileEvent("creation", cron), "cron file written"),
                "spawnwatch.file.class"));
        await(alert(PERSISTENCE, "file.path", cron.toString()), "persistence alert for the cron file");
    }

    @Test
    void shouldReportAUdpCallbackFromTheShellAndAlert() throws Exception {
        int port = 5353;
        web.shell("bash -c 'exec 3<>/dev/udp/127.0.0.1/" + port + "; echo x >&3'");
        JsonNode udp = await(d -> "event".equals(text(d, "event.kind")) && "udp".equals(text(d, "network.transport"))
                && Integer.toString(port).equals(text(d, "destination.port")), "UDP from bash");
        assertEquals("127.0.0.1", text(udp, "destination.ip"));
        assertEquals("bash", text(udp, "process.name"));
        assertEquals("cgroup/connect4", text(udp, "spawnwatch.hook"));
        await(alert(UDP_DNS, "destination.port", Integer.toString(port)), "UDP callback alert");
    }

    @Test
    void shouldCarryDnsQuestionsAndAlertOnTunnelShapedOnesOnly() throws Exception {
        String tunnel = "mzxw6ytboi2dknrxha4tamjsgm2dknrxha4tamjsgm" + unique("") + ".t.example.com";
        web.get("/dns.php?type=16&name=" + tunnel);
        JsonNode q = await(d -> tunnel.equals(text(d, "dns.question.name")) && "event".equals(text(d, "event.kind")),
                "the tunnel's DNS query");
        assertEquals("TXT", text(q, "dns.question.type"));
        assertEquals("dns_query", text(q, "event.action"));
        assertEquals("53", text(q, "destination.port"));
        assertEquals("php-fpm8.2", text(q, "process.name"));
        await(alert(UDP_DNS, "dns.question.name", tunnel), "DNS tunnel alert");

        String ordinary = unique("www") + ".example.com";
        web.get("/dns.php?type=1&name=" + ordinary);
        assertEquals("A", text(await(d -> ordinary.equals(text(d, "dns.question.name")), "an ordinary A query"),
                "dns.question.type"));
        assertNoAlertOn("dns.question.name", ordinary);
    }

    @Test
    void shouldAlertWhenTheLineageGainsRootBySetuidExecAndBySetresuid() throws Exception {
        Path suid = web.dir.resolve(unique("suid-python3-"));
        Files.copy(Path.of("/usr/bin/python3.11"), suid, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(suid, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setAttribute(suid, "unix:mode", 04755);
        web.shell(suid + " -c 'import os; os.seteuid(33); os.seteuid(0)'");
        JsonNode exec = await(d -> "exec".equals(text(d, "event.action")) && suid.toString().equals(
                text(d, "process.executable")), "the setuid exec");
        assertEquals("33", text(exec, "process.real_user.id"));
        assertEquals("0", text(exec, "user.id")); // ECS: user.id is the effective user
        await(alert(ROOT_BY_EXEC, "process.executable", suid.toString()), "root-by-exec alert");

        JsonNode call = await(d -> "setresuid".equals(text(d, "event.action")), "seteuid(0) after seteuid(33)");
        assertEquals("change", call.path("event").path("type").get(0).asText());
        assertEquals("33", text(call, "spawnwatch.privilege.previous_effective_user_id"));
        assertEquals("0", text(call, "spawnwatch.privilege.effective_user_id"));
        await(d -> "alert".equals(text(d, "event.kind")) && ROOT_BY_CALL.equals(text(d, "rule.id")),
                "root-by-call alert");
    }

    @Test
    void shouldAlertOnAProgramRunFromAMemfd() throws Exception {
        web.shell("/usr/bin/python3 -c \"import os; fd = os.memfd_create('sw-evil'); "
                + "os.write(fd, open('/usr/bin/true', 'rb').read()); os.execv('/proc/self/fd/%d' % fd, ['sw-evil'])\"");
        JsonNode exec = await(d -> "exec".equals(text(d, "event.action"))
                && String.valueOf(text(d, "process.executable")).startsWith("/memfd:sw-evil"), "the memfd exec");
        assertEquals("/memfd:sw-evil (deleted)", text(exec, "process.executable"));
        await(alert(FILELESS, "process.executable", "/memfd:sw-evil (deleted)"), "fileless alert");
    }

    @Test
    void shouldNotAlertOnPhpSessionsUploadsACmsCacheOrNginxLogs() throws Exception {
        String id = web.get("/session.php").strip();
        Path session = web.dir.resolve("sessions/sess_" + id);
        await(fileEvent("creation", session), "PHP writing its session file");

        String boundary = "sw" + UUID.randomUUID().toString().replace("-", "");
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n--" + boundary + "--\r\n";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port
                + "/upload.php")).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        Path upload = Path.of(r.body().strip());
        assertTrue(upload.getFileName().toString().matches("php[A-Za-z0-9]{6}"), r.body());
        await(fileEvent("creation", upload), "PHP writing the upload's temporary file");

        web.get("/cache.php");
        Path compiled = www.resolve("wp-content/cache/compiled.php");
        await(fileEvent("creation", compiled), "the CMS writing its compiled cache");

        new ProcessBuilder("kill", "-USR1", Long.toString(web.nginxPid())).start().waitFor();
        Path log = web.dir.resolve("access.log");
        JsonNode reopened = await(d -> "event".equals(text(d, "event.kind")) && log.toString().equals(
                text(d, "file.path")) && "nginx".equals(text(d, "process.name")), "an nginx worker reopening its log");
        // The master (the root, depth 0) and its workers (depth 1) all reopen the log on USR1.
        assertTrue(java.util.Set.of("0", "1").contains(text(reopened, "spawnwatch.lineage.depth")), reopened.toString());

        assertNoAlertOn("file.path", session.toString());
        assertNoAlertOn("file.path", upload.toString());
        assertNoAlertOn("file.path", www.resolve("wp-content/cache").toString());
        assertNoAlertOn("file.path", log.toString());
        // A page cached as HTML is not a script: the kernel does not even report it.
        for (JsonNode d : harness.seen()) {
            assertTrue(!String.valueOf(text(d, "file.path")).endsWith("wp-content/cache/page.html"), d.toString());
        }
    }
}
