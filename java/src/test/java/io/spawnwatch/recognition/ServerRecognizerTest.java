package io.spawnwatch.recognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.error.BpfException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decisions on candidates, with the shipped defaults, into a list instead of the kernel map. */
class ServerRecognizerTest {
    private final List<String> added = new ArrayList<>();
    private final ServerRecognizer recognizer = new ServerRecognizer(ConfigLoader.defaults().webServers(),
            (pid, start) -> added.add(pid + "@" + start), new Roots(8));

    ServerRecognizerTest() throws Exception {}

    @Test
    void shouldMakeListeningRuntimesRootsButNeverWellKnownDaemons() {
        assertTrue(recognizer.onListen(10, 1_000_000_000L, "node", 3000));
        assertTrue(recognizer.onListen(11, 2_000_000_000L, "python3.11", 8000));
        assertTrue(recognizer.onListen(12, 3_000_000_000L, "java", 8080));
        assertFalse(recognizer.onListen(13, 4_000_000_000L, "sshd", 22));
        assertFalse(recognizer.onListen(14, 5_000_000_000L, "postgres", 5432));
        assertFalse(recognizer.onListen(15, 6_000_000_000L, "nc", 4445), "not a runtime: only a lineage listen");
        assertEquals(List.of("10@1000000000", "11@2000000000", "12@3000000000"), added);
        assertEquals("runtime node, listening on TCP port 3000", recognizer.roots().alive((pid, start) -> true)
                .get(0).reason());
        assertNull(recognizer.listenReason("redis-server"));
    }

    @Test
    void shouldJudgeInterpretersByTheirOwnArguments() {
        assertTrue(recognizer.onInterpreterExec(20, 1, "python3", List.of("python3", "-m", "gunicorn", "app:app")));
        assertFalse(recognizer.onInterpreterExec(21, 1, "python3",
                List.of("python3", "-m", "pip", "download", "gunicorn")));
        assertFalse(recognizer.onInterpreterExec(22, 1, "python3", List.of("python3", "/opt/gunicorn-notes.txt.py")
                .subList(0, 1)));
        assertEquals(List.of("20@1"), added);
    }

    @Test
    void shouldCountAFailedRootAndNotListIt() {
        ServerRecognizer failing = new ServerRecognizer(defaults(), (pid, start) -> {
            throw new BpfException("lineage map full", 7);
        }, new Roots(8));
        assertFalse(failing.onListen(30, 1, "node", 80));
        assertTrue(failing.roots().alive((pid, start) -> true).isEmpty());
        assertEquals(1, failing.counters().stream().filter(c -> c.name().equals("root_failures")).findFirst()
                .orElseThrow().value());
    }

    private static io.spawnwatch.config.SensorConfig.WebServers defaults() {
        try {
            return ConfigLoader.defaults().webServers();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
