package io.spawnwatch.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol and every request/answer command, over the real socket, against the in-memory sensor. */
class ControlServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private FakeSensorControl sensor;
    private SubscriberHub hub;
    private ControlServer server;
    private LineClient client;

    private final LogCapture log = new LogCapture();

    @BeforeEach
    void start() throws Exception {
        sensor = new FakeSensorControl();
        hub = new SubscriberHub(SubscriberHub.Options.defaults());
        server = ControlServer.start(ControlServer.Options.defaults().withSocket(dir.resolve("run/sw.sock")), sensor,
                hub);
        client = new LineClient(server.socket());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        log.close();
    }

    private static JsonNode json(String line) throws Exception {
        return JSON.readTree(line);
    }

    @Test
    void shouldAnswerStatusWithTheSensorsStatusAndTheControlSection() throws Exception {
        JsonNode r = json(client.call("{\"v\":1,\"id\":1,\"cmd\":\"status\"}"));
        assertEquals(1, r.get("v").asInt());
        assertEquals(1, r.get("id").asInt());
        assertTrue(r.get("ok").asBoolean());
        JsonNode s = r.get("result");
        assertEquals("0.1.0-test", s.get("version").asText());
        assertEquals(3723, s.get("uptime_seconds").asLong());
        assertEquals("6.18.0-test", s.get("kernel").asText());
        assertEquals("tp_btf/inet_sock_set_state", s.get("hooks").get(1).get("hook").asText());
        assertEquals("fentry/tcp_connect: EPERM (no trampolines); kprobe/tcp_connect: ENOENT",
                s.get("hooks").get(1).get("fallback").asText());
        assertTrue(s.get("hooks").get(0).get("fallback").isNull());
        assertEquals(16L << 20, s.get("ring_bytes").asLong());
        assertEquals(12.5, s.get("events_per_second").asDouble());
        assertEquals(2, s.get("drops").get("user").asLong());
        assertEquals(3, s.get("rules_loaded").asInt());
        assertEquals(2, s.get("rules_enabled").asInt());
        assertEquals("/etc/spawnwatch/spawnwatch.yml", s.get("config_path").asText());
        assertEquals(server.socket().toString(), s.get("control").get("socket").asText());
        assertEquals(1, s.get("control").get("connections").asInt());
    }

    @Test
    void shouldAnswerStatsWithCountersPerHookRuleSinkAndSubscriber() throws Exception {
        JsonNode s = json(client.call("{\"v\":1,\"id\":\"a\",\"cmd\":\"stats\",\"args\":{}}")).get("result");
        assertEquals(120, s.get("hooks").get("exec").get("events").asLong());
        assertEquals(3, s.get("rules").get("web-shell-spawn").get("matches").asLong());
        assertEquals(3, s.get("sinks").get("stdout").get("written").asLong());
        assertEquals(0, s.get("control").get("subscriber_drops").asLong());
        assertEquals("[]", s.get("control").get("subscribers").toString());
    }

    @Test
    void shouldListShowEnableAndDisableRules() throws Exception {
        assertEquals("{\"v\":1,\"id\":2,\"ok\":true,\"result\":{\"rules\":["
                        + "{\"id\":\"web-shell-spawn\",\"title\":\"Web server spawns a shell\",\"level\":\"high\","
                        + "\"enabled\":true,\"source\":\"builtin\"},"
                        + "{\"id\":\"tmp-exec\",\"title\":\"Execution from /tmp by a web server descendant\","
                        + "\"level\":\"high\",\"enabled\":true,\"source\":\"builtin\"},"
                        + "{\"id\":\"rare-child\",\"title\":\"Rare child of a web server\",\"level\":\"medium\","
                        + "\"enabled\":false,\"source\":\"builtin\"}]}}",
                client.call("{\"v\":1,\"id\":2,\"cmd\":\"rules.list\"}"));
        JsonNode show = json(client.call("{\"v\":1,\"id\":3,\"cmd\":\"rules.show\",\"args\":{\"id\":\"tmp-exec\"}}"));
        assertEquals("title: Execution from /tmp by a web server descendant\nid: tmp-exec\n",
                show.get("result").get("definition").asText());
        assertEquals("[\"attack.t1505.003\"]", show.get("result").get("tags").toString());
        assertEquals("{\"v\":1,\"id\":4,\"ok\":true,\"result\":{\"id\":\"rare-child\",\"title\":\"Rare child of a web"
                        + " server\",\"level\":\"medium\",\"enabled\":true,\"source\":\"builtin\"}}",
                client.call("{\"v\":1,\"id\":4,\"cmd\":\"rules.enable\",\"args\":{\"id\":\"rare-child\"}}"));
        assertFalse(json(client.call("{\"v\":1,\"id\":5,\"cmd\":\"rules.disable\",\"args\":{\"id\":\"tmp-exec\"}}"))
                .get("result").get("enabled").asBoolean());
        assertFalse(sensor.rule("tmp-exec").enabled());
    }

    @Test
    void shouldAnswerNotFoundForAnUnknownRule() throws Exception {
        assertEquals("{\"v\":1,\"id\":6,\"error\":{\"code\":\"not_found\",\"message\":\"no rule with id nope;"
                        + " `spawnwatch rules list` shows the loaded rules\"}}",
                client.call("{\"v\":1,\"id\":6,\"cmd\":\"rules.show\",\"args\":{\"id\":\"nope\"}}"));
    }

    @Test
    void shouldReloadRulesAtomicallyAndReturnEveryError() throws Exception {
        sensor.nextReload(List.of(), List.of("rules/a.yml:3: detection.condition: unknown selection 'sel2'",
                "rules/b.yml:1: level: expected one of informational, low, medium, high, critical"));
        assertEquals("{\"v\":1,\"id\":7,\"error\":{\"code\":\"rejected\",\"message\":\"rules not reloaded: 2"
                        + " error(s); the running rules are unchanged\",\"details\":["
                        + "\"rules/a.yml:3: detection.condition: unknown selection 'sel2'\","
                        + "\"rules/b.yml:1: level: expected one of informational, low, medium, high, critical\"]}}",
                client.call("{\"v\":1,\"id\":7,\"cmd\":\"rules.reload\"}"));
        assertEquals(List.of("web-shell-spawn", "tmp-exec", "rare-child"), sensor.ruleIds());

        sensor.nextReload(List.of(new SensorControl.RuleDetail("only", "Only", "low", true, "f.yml", "", List.of(),
                "")), List.of());
        assertEquals("{\"v\":1,\"id\":8,\"ok\":true,\"result\":{\"rules_loaded\":1,\"rules_enabled\":1}}",
                client.call("{\"v\":1,\"id\":8,\"cmd\":\"rules.reload\"}"));
    }

    @Test
    void shouldListAddAndRemoveWebServers() throws Exception {
        assertEquals("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"name\":\"caddy2\",\"prefix\":false,"
                        + "\"source\":\"runtime\"}}",
                client.call("{\"v\":1,\"id\":1,\"cmd\":\"webservers.add\",\"args\":{\"name\":\"caddy2\"}}"));
        assertEquals("{\"v\":1,\"id\":2,\"ok\":true,\"result\":{\"name\":\"uwsgi\",\"prefix\":true,"
                        + "\"source\":\"runtime\"}}",
                client.call("{\"v\":1,\"id\":2,\"cmd\":\"webservers.add\",\"args\":{\"name\":\"uwsgi\","
                        + "\"prefix\":true}}"));
        JsonNode list = json(client.call("{\"v\":1,\"id\":3,\"cmd\":\"webservers.list\"}")).get("result");
        assertEquals(4, list.get("webservers").size());
        assertEquals("caddy2", list.get("webservers").get(2).get("name").asText());
        assertEquals("{\"v\":1,\"id\":4,\"ok\":true,\"result\":{\"name\":\"caddy2\",\"prefix\":false,"
                        + "\"source\":\"runtime\"}}",
                client.call("{\"v\":1,\"id\":4,\"cmd\":\"webservers.remove\",\"args\":{\"name\":\"caddy2\"}}"));
        assertEquals("{\"v\":1,\"id\":5,\"error\":{\"code\":\"not_found\",\"message\":\"no web-server name caddy2"
                        + " in the kernel filter\"}}",
                client.call("{\"v\":1,\"id\":5,\"cmd\":\"webservers.remove\",\"args\":{\"name\":\"caddy2\"}}"));
    }

    @Test
    void shouldRefuseAWebServerNameLongerThanTheKernelsComm() throws Exception {
        assertEquals("{\"v\":1,\"id\":1,\"error\":{\"code\":\"invalid_argument\",\"message\":\"args.name="
                        + "'a-very-long-server-name' must be 1 to 15 bytes (a process name, as the kernel's comm holds"
                        + " it), got 23\"}}",
                client.call("{\"v\":1,\"id\":1,\"cmd\":\"webservers.add\",\"args\":{\"name\":"
                        + "\"a-very-long-server-name\"}}"));
    }

    @Test
    void shouldAddUsersGivenAsNumbersDigitStringsOrNames() throws Exception {
        assertEquals("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"uid\":48,\"name\":\"apache\",\"source\":\"runtime\"}}",
                client.call("{\"v\":1,\"id\":1,\"cmd\":\"users.add\",\"args\":{\"user\":\"apache\"}}"));
        assertEquals("{\"v\":1,\"id\":2,\"ok\":true,\"result\":{\"uid\":65534,\"name\":\"nobody\","
                        + "\"source\":\"runtime\"}}",
                client.call("{\"v\":1,\"id\":2,\"cmd\":\"users.add\",\"args\":{\"user\":65534}}"));
        assertEquals("{\"v\":1,\"id\":3,\"ok\":true,\"result\":{\"uid\":498,\"name\":null,\"source\":\"runtime\"}}",
                client.call("{\"v\":1,\"id\":3,\"cmd\":\"users.add\",\"args\":{\"user\":\"498\"}}"));
        assertEquals("[33,48,65534,498]", uids(json(client.call("{\"v\":1,\"id\":4,\"cmd\":\"users.list\"}"))));
        assertEquals("{\"v\":1,\"id\":5,\"ok\":true,\"result\":{\"uid\":48,\"name\":\"apache\",\"source\":\"runtime\"}}",
                client.call("{\"v\":1,\"id\":5,\"cmd\":\"users.remove\",\"args\":{\"user\":48}}"));
        assertEquals("{\"v\":1,\"id\":6,\"error\":{\"code\":\"rejected\",\"message\":\"no user named ghost in"
                        + " /etc/passwd\"}}",
                client.call("{\"v\":1,\"id\":6,\"cmd\":\"users.add\",\"args\":{\"user\":\"ghost\"}}"));
        assertEquals("{\"v\":1,\"id\":7,\"error\":{\"code\":\"invalid_argument\",\"message\":\"args.user=4294967295 is"
                        + " out of range: uids go from 0 to 4294967294\"}}",
                client.call("{\"v\":1,\"id\":7,\"cmd\":\"users.add\",\"args\":{\"user\":4294967295}}"));
        assertEquals("{\"v\":1,\"id\":8,\"error\":{\"code\":\"invalid_argument\",\"message\":\"args.user must be a uid"
                        + " (number) or a user name (string), got a boolean\"}}",
                client.call("{\"v\":1,\"id\":8,\"cmd\":\"users.add\",\"args\":{\"user\":true}}"));
    }

    private static String uids(JsonNode r) {
        List<Long> uids = new ArrayList<>();
        r.get("result").get("users").forEach(u -> uids.add(u.get("uid").asLong()));
        return uids.toString().replace(" ", "");
    }

    @Test
    void shouldListAddAndRemoveExceptions() throws Exception {
        assertEquals("{\"v\":1,\"id\":1,\"ok\":true,\"result\":{\"id\":\"ex-1\",\"rule\":\"web-shell-spawn\","
                        + "\"match\":{\"process.command_line\":\"sh -c uptime\"},\"comment\":\"monitoring\","
                        + "\"created_at\":\"2026-11-27T10:00:00Z\"}}",
                client.call("{\"v\":1,\"id\":1,\"cmd\":\"exceptions.add\",\"args\":{\"rule\":\"web-shell-spawn\","
                        + "\"match\":{\"process.command_line\":\"sh -c uptime\"},\"comment\":\"monitoring\"}}"));
        assertEquals(1, json(client.call("{\"v\":1,\"id\":2,\"cmd\":\"exceptions.list\"}")).get("result")
                .get("exceptions").size());
        assertEquals("ex-1", json(client.call("{\"v\":1,\"id\":3,\"cmd\":\"exceptions.remove\",\"args\":{\"id\":"
                + "\"ex-1\"}}")).get("result").get("id").asText());
        assertEquals("{\"v\":1,\"id\":4,\"error\":{\"code\":\"invalid_argument\",\"message\":\"args.match.process.pid"
                        + " must be a string, got a number\"}}",
                client.call("{\"v\":1,\"id\":4,\"cmd\":\"exceptions.add\",\"args\":{\"rule\":\"*\","
                        + "\"match\":{\"process.pid\":4}}}"));
    }

    @Test
    void shouldAnswerShutdownThenAskTheSensorToStop() throws Exception {
        assertEquals("{\"v\":1,\"id\":9,\"ok\":true,\"result\":{\"stopping\":true}}",
                client.call("{\"v\":1,\"id\":9,\"cmd\":\"shutdown\"}"));
        assertTrue(sensor.awaitShutdown(5000));
    }

    @Test
    void shouldAnswerGarbageWithMalformedJsonAndKeepTheConnection() throws Exception {
        String answer = client.call("hello there");
        assertEquals("malformed_json", json(answer).get("error").get("code").asText());
        assertTrue(json(answer).get("error").get("message").asText().startsWith("request is not valid JSON:"
                + " Unrecognized token 'hello'"), answer);
        assertEquals("{\"v\":1,\"id\":null,\"error\":{\"code\":\"malformed_json\",\"message\":\"request is not valid"
                        + " JSON: Duplicate field 'id' (column 19)\"}}",
                client.call("{\"v\":1,\"id\":1,\"id\":2,\"cmd\":\"status\"}"));
        assertEquals("malformed_json", json(client.call("{\"v\":1,\"cmd\":\"status\"} trailing")).get("error")
                .get("code").asText());
        assertEquals("malformed_json", json(client.call("\u0000\u0001\u00ff\u00fe")).get("error").get("code")
                .asText());
        String deep = "{\"v\":1,\"id\":1,\"cmd\":\"status\",\"args\":" + "[".repeat(100) + "]".repeat(100) + "}";
        String deepAnswer = client.call(deep);
        assertEquals("malformed_json", json(deepAnswer).get("error").get("code").asText(), deepAnswer);
        assertTrue(json(client.call("{\"v\":1,\"id\":10,\"cmd\":\"status\"}")).get("ok").asBoolean());
    }

    @Test
    void shouldDiscardAnOversizedLineAndAnswerTheNextRequestOnTheSameConnection() throws Exception {
        String huge = "{\"v\":1,\"id\":1,\"cmd\":\"status\",\"args\":{\"pad\":\"" + "x".repeat(200_000) + "\"}}";
        client.sendLine(huge);
        assertEquals("{\"v\":1,\"id\":null,\"error\":{\"code\":\"line_too_long\",\"message\":\"request line exceeds"
                + " limit=65536 bytes; it was discarded up to its newline\"}}", client.readLine());
        assertEquals(2, json(client.call("{\"v\":1,\"id\":2,\"cmd\":\"status\"}")).get("id").asInt());
        assertNull(client.pollLine(200), "exactly one error line for the oversized request");
    }

    @Test
    void shouldAcceptALineOfExactlyTheLimit() throws Exception {
        String head = "{\"v\":1,\"id\":1,\"cmd\":\"rules.show\",\"args\":{\"id\":\"";
        String line = head + "x".repeat(65536 - head.length() - 3) + "\"}}";
        assertEquals(65536, line.length());
        assertEquals("not_found", json(client.call(line)).get("error").get("code").asText());
    }

    @Test
    void shouldAnswerAnUnknownCommandWithTheListOfCommands() throws Exception {
        assertEquals("{\"v\":1,\"id\":3,\"error\":{\"code\":\"unknown_command\",\"message\":\"unknown command"
                        + " cmd=reboot; the commands are: alerts, cancel, events, exceptions.add, exceptions.list,"
                        + " exceptions.remove, incidents.list, incidents.show, rules.disable, rules.enable, rules.list,"
                        + " rules.reload, rules.show, shutdown, stats, status, users.add, users.list, users.remove,"
                        + " webservers.add, webservers.list, webservers.remove\"}}",
                client.call("{\"v\":1,\"id\":3,\"cmd\":\"reboot\"}"));
    }

    @Test
    void shouldAnswerWrongMissingAndUnknownArguments() throws Exception {
        assertEquals("{\"v\":1,\"id\":1,\"error\":{\"code\":\"invalid_argument\",\"message\":\"args.id must be a"
                        + " string, got a number\"}}",
                client.call("{\"v\":1,\"id\":1,\"cmd\":\"rules.show\",\"args\":{\"id\":42}}"));
        assertEquals("{\"v\":1,\"id\":2,\"error\":{\"code\":\"invalid_argument\",\"message\":\"args.id is required"
                        + " for cmd=rules.enable: a string\"}}",
                client.call("{\"v\":1,\"id\":2,\"cmd\":\"rules.enable\"}"));
        assertEquals("{\"v\":1,\"id\":3,\"error\":{\"code\":\"invalid_argument\",\"message\":\"unknown argument"
                        + " args.nme for cmd=webservers.add: it takes name, prefix\"}}",
                client.call("{\"v\":1,\"id\":3,\"cmd\":\"webservers.add\",\"args\":{\"name\":\"x\",\"nme\":\"y\"}}"));
        assertEquals("{\"v\":1,\"id\":4,\"error\":{\"code\":\"invalid_argument\",\"message\":\"args.prefix must be"
                        + " true or false, got a string\"}}",
                client.call("{\"v\":1,\"id\":4,\"cmd\":\"webservers.add\",\"args\":{\"name\":\"x\",\"prefix\":"
                        + "\"yes\"}}"));
        assertEquals("{\"v\":1,\"id\":5,\"error\":{\"code\":\"invalid_argument\",\"message\":\"unknown argument"
                        + " args.verbose for cmd=status: it takes no arguments\"}}",
                client.call("{\"v\":1,\"id\":5,\"cmd\":\"status\",\"args\":{\"verbose\":true}}"));
    }

    @Test
    void shouldAnswerRequestsThatAreJsonButNotRequests() throws Exception {
        assertEquals("{\"v\":1,\"id\":null,\"error\":{\"code\":\"invalid_request\",\"message\":\"a request must be a"
                        + " JSON object such as {\\\"v\\\":1,\\\"id\\\":1,\\\"cmd\\\":\\\"status\\\"}\"}}",
                client.call("[1,2,3]"));
        assertEquals("{\"v\":1,\"id\":1,\"error\":{\"code\":\"invalid_request\",\"message\":\"v is required: the"
                + " protocol version, 1\"}}", client.call("{\"id\":1,\"cmd\":\"status\"}"));
        assertEquals("{\"v\":1,\"id\":2,\"error\":{\"code\":\"unsupported_version\",\"message\":\"protocol version"
                + " v=2 is not supported: this sensor speaks v=1\"}}", client.call("{\"v\":2,\"id\":2,\"cmd\":\"status\"}"));
        assertEquals("{\"v\":1,\"id\":3,\"error\":{\"code\":\"invalid_request\",\"message\":\"cmd must be a string"
                + " naming a command, got a number\"}}", client.call("{\"v\":1,\"id\":3,\"cmd\":7}"));
        assertEquals("{\"v\":1,\"id\":4,\"error\":{\"code\":\"invalid_request\",\"message\":\"args must be an object,"
                + " got an array\"}}", client.call("{\"v\":1,\"id\":4,\"cmd\":\"status\",\"args\":[]}"));
        assertEquals("{\"v\":1,\"id\":5,\"error\":{\"code\":\"invalid_request\",\"message\":\"unknown request field"
                + " 'command': a request has v, id, cmd and args\"}}",
                client.call("{\"v\":1,\"id\":5,\"command\":\"status\"}"));
    }

    @Test
    void shouldEchoAnyJsonIdAndIgnoreBlankLines() throws Exception {
        client.send("\n  \r\n");
        assertEquals("{\"req\":[1,\"a\"]}", json(client.call("{\"v\":1,\"id\":{\"req\":[1,\"a\"]},\"cmd\":\"exceptions.list\"}")).get("id")
                        .toString());
        assertEquals("{\"v\":1,\"id\":null,\"ok\":true,\"result\":{\"exceptions\":[]}}",
                client.call("{\"v\":1,\"cmd\":\"exceptions.list\"}\r"));
    }

    @Test
    void shouldReportASensorFailureWithoutClosingTheConnection() throws Exception {
        sensor.failStatusWith(new IllegalStateException("ring buffer map is gone"));
        assertEquals("{\"v\":1,\"id\":1,\"error\":{\"code\":\"sensor_error\",\"message\":\"cmd=status failed in the"
                        + " sensor: ring buffer map is gone (the sensor's log has the details)\"}}",
                client.call("{\"v\":1,\"id\":1,\"cmd\":\"status\"}"));
        assertEquals("WARNING control: spawnwatch-control-1 uid=0 pid=" + ProcessHandle.current().pid()
                + ": cmd=status failed in the sensor", log.lines().getLast());
        sensor.failStatusWith(new SensorException.Failed("bpf_map_update_elem failed for map=web_names: EPERM"));
        assertEquals("{\"v\":1,\"id\":2,\"error\":{\"code\":\"sensor_error\",\"message\":\"bpf_map_update_elem failed"
                        + " for map=web_names: EPERM\"}}",
                client.call("{\"v\":1,\"id\":2,\"cmd\":\"status\"}"));
        assertEquals(3, json(client.call("{\"v\":1,\"id\":3,\"cmd\":\"rules.list\"}")).get("result").get("rules")
                .size());
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrder() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            b.append("{\"v\":1,\"id\":").append(i).append(",\"cmd\":\"webservers.list\"}\n");
        }
        client.send(b.toString());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, json(client.readLine()).get("id").asInt());
        }
    }

    @Test
    void shouldServeFiftyConcurrentClients() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < 50; c++) {
                int clientNo = c;
                results.add(pool.submit((Callable<Integer>) () -> {
                    int ok = 0;
                    try (LineClient lc = new LineClient(server.socket())) {
                        for (int i = 0; i < 20; i++) {
                            String cmd = switch (i % 4) {
                                case 0 -> "status";
                                case 1 -> "rules.list";
                                case 2 -> "stats";
                                default -> "bogus";
                            };
                            JsonNode r = json(lc.call("{\"v\":1,\"id\":\"" + clientNo + "-" + i + "\",\"cmd\":\""
                                    + cmd + "\"}"));
                            assertEquals(clientNo + "-" + i, r.get("id").asText());
                            if (i % 4 == 3) {
                                assertEquals("unknown_command", r.get("error").get("code").asText());
                            } else {
                                assertTrue(r.get("ok").asBoolean());
                            }
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(20, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldRefuseConnectionsBeyondTheLimitWithBusy() throws Exception {
        int limit = ControlServer.Options.ROOT_RESERVED + 1;
        List<LineClient> open = new java.util.ArrayList<>();
        try (ControlServer small = ControlServer.start(ControlServer.Options.defaults()
                .withSocket(dir.resolve("small.sock")).withMaxConnections(limit), sensor, hub)) {
            for (int i = 0; i < limit; i++) {
                LineClient c = new LineClient(small.socket());
                open.add(c);
                assertTrue(json(c.call("{\"v\":1,\"id\":1,\"cmd\":\"status\"}")).get("ok").asBoolean());
            }
            try (LineClient second = new LineClient(small.socket())) {
                assertEquals("{\"v\":1,\"id\":null,\"error\":{\"code\":\"busy\",\"message\":\"too many connections:"
                        + " limit=" + limit + "; try again later\"}}", second.readLine());
                assertNull(second.readLine());
            }
            assertEquals(1, small.refused());
        } finally {
            for (LineClient c : open) {
                c.close();
            }
        }
    }

    @Test
    void shouldRemoveTheSocketFileOnClose() throws Exception {
        Path socket = server.socket();
        assertTrue(json(client.call("{\"v\":1,\"id\":1,\"cmd\":\"status\"}")).get("ok").asBoolean());
        assertTrue(Files.exists(socket));
        server.close();
        assertFalse(Files.exists(socket));
        assertNull(client.readLine());
    }
}
