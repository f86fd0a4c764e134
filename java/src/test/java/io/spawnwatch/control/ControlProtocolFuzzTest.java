package io.spawnwatch.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes from a client, sent to a real control server over its real
 * socket: every line back is a protocol line (JSON, v 1, ok/error/stream/
 * notice), no command fails inside the server with sensor_error, and the
 * server keeps serving the next client.
 */
class ControlProtocolFuzzTest {
    private static final ControlServer SERVER;

    static {
        try {
            Path dir = Files.createTempDirectory("spawnwatch-fuzz-");
            SERVER = ControlServer.start(ControlServer.Options.defaults().withSocket(dir.resolve("sw.sock")),
                    new FakeSensorControl(), new SubscriberHub(SubscriberHub.Options.defaults()));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "20s")
    @DictionaryEntries({"{\"v\":1,\"id\":1,\"cmd\":\"", "\"}", "\"args\":{", "status", "stats", "rules.list",
        "rules.show", "rules.enable", "rules.disable", "rules.reload", "webservers.add", "webservers.remove",
        "users.add", "exceptions.add", "exceptions.remove", "alerts", "events", "cancel", "\"follow\":true",
        "\"since\":\"1h\"", "\"filter\":[\"process.name=sh\"]", "\"match\":{\"process.name\":\"sh\"}",
        "\"prefix\":true", "\"name\":\"", "\"uid\":", "null"})
    void shouldAnswerEveryLineWithAProtocolLine(FuzzedDataProvider data) throws Exception {
        byte[] input = data.consumeRemainingAsBytes();
        try (LineClient c = new LineClient(SERVER.socket())) {
            c.sendBytes(input);
            c.sendBytes(new byte[] {'\n'}); // the last line ends too; earlier 0x0a bytes split the input
            c.shutdownOutput();
            String line;
            while ((line = c.readLine()) != null) {
                JsonNode n = Protocol.JSON.readTree(line);
                assertEquals(1, n.path("v").asInt(), line);
                assertTrue(n.has("ok") || n.has("error") || n.has("stream") || n.has("notice"), line);
                assertFalse("sensor_error".equals(n.path("error").path("code").asText()), line);
            }
        } catch (IOException e) {
            // The server may close on us (a refused or finished connection): what it sent was checked.
        }
    }
}
