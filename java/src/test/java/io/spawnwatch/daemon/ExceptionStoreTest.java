package io.spawnwatch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.control.SensorControl.AlertException;
import io.spawnwatch.control.SensorControl.ExceptionSpec;
import io.spawnwatch.control.SensorException;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.RuleEngine;
import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.exceptions.ExceptionList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exceptions file with a real rule engine behind it (the built-in rules). */
class ExceptionStoreTest {
    @TempDir
    Path dir;
    private RuleEngine engine;
    private ExceptionStore.Engine side;

    @BeforeEach
    void open() throws IOException {
        engine = RuleEngine.open(DetectionConfig.defaults(), RuleSource.builtin(), null);
        side = new ExceptionStore.Engine() {
            @Override
            public void add(RuleSource entries) {
                var r = engine.addExceptions(entries);
                if (!r.applied()) {
                    throw new SensorException.Rejected("refused: " + r.errors());
                }
            }

            @Override
            public void remove(String id) {
                engine.removeException(id);
            }
        };
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static ExceptionSpec spec(String commandLine) {
        return new ExceptionSpec("*", Map.of("process.command_line", commandLine), "test");
    }

    @Test
    void shouldKeepEveryOneOfTenConcurrentAdds() throws Exception {
        ExceptionStore store = new ExceptionStore(dir.resolve("exceptions.yml"), -1);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<AlertException>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String cl = "sh -c probe-" + i;
            results.add(pool.submit(() -> {
                go.await();
                return store.add(spec(cl), side);
            }));
        }
        go.countDown();
        Set<String> ids = new HashSet<>();
        for (Future<AlertException> f : results) {
            ids.add(f.get().id());
        }
        pool.shutdown();
        assertEquals(10, ids.size(), "each caller got its own exception");
        assertEquals(10, engine.exceptionCount(), "each add reached the engine");
        // What a restart would load: the file itself, parsed by the rules package.
        ExceptionList onDisk = ExceptionList.parse("f", Files.readString(dir.resolve("exceptions.yml")),
                DetectionConfig.defaults(), null).list();
        assertEquals(ids, new HashSet<>(onDisk.entries().stream().map(ExceptionList.Entry::id).toList()));
        assertEquals(10, new ExceptionStore(dir.resolve("exceptions.yml"), -1).list().size());
    }

    @Test
    void shouldRefuseAddsPastTheCapWithTheReasonAndKeepAddsCheap() throws Exception {
        ExceptionStore store = new ExceptionStore(dir.resolve("exceptions.yml"), -1);
        long firstHundred = 0;
        long lastHundred = 0;
        for (int i = 0; i < ExceptionStore.MAX_EXCEPTIONS; i++) {
            long t = System.nanoTime();
            store.add(spec("sh -c probe-" + i), side);
            long took = System.nanoTime() - t;
            if (i < 100) {
                firstHundred += took;
            } else if (i >= ExceptionStore.MAX_EXCEPTIONS - 100) {
                lastHundred += took;
            }
        }
        System.out.printf("exceptions add: first 100 avg %.2f ms, last 100 avg %.2f ms%n", firstHundred / 1e8,
                lastHundred / 1e8);
        SensorException.Rejected e = assertThrows(SensorException.Rejected.class,
                () -> store.add(spec("one too many"), side));
        assertTrue(e.getMessage().contains("holds 1000 exceptions, the limit"), e.getMessage());
        assertEquals(1000, engine.exceptionCount());
        assertEquals(1000, store.list().size());
        // Nothing in an add grows with the list but the atomic rewrite of a bounded file.
        assertTrue(lastHundred / 100 < 50_000_000L, "last adds took " + lastHundred / 100 / 1e6 + " ms each");
    }

    @Test
    void shouldUndoTheEngineChangeAndSayWhenTheFileCannotBeWritten() throws Exception {
        Files.writeString(dir.resolve("not-a-dir"), "");
        ExceptionStore store = new ExceptionStore(dir.resolve("not-a-dir/exceptions.yml"), -1);
        assertThrows(IOException.class, () -> store.add(spec("sh -c x"), side));
        assertEquals(0, engine.exceptionCount(), "an exception the file does not hold is not in force either");
    }

    @Test
    void shouldRemoveFromTheFileAndTheEngine() throws Exception {
        ExceptionStore store = new ExceptionStore(dir.resolve("exceptions.yml"), -1);
        AlertException a = store.add(spec("sh -c a"), side);
        store.add(spec("sh -c b"), side);
        assertEquals(a, store.remove(a.id(), side));
        assertEquals(1, engine.exceptionCount());
        assertEquals(1, new ExceptionStore(dir.resolve("exceptions.yml"), -1).list().size());
        assertEquals(null, store.remove(a.id(), side));
    }
}
