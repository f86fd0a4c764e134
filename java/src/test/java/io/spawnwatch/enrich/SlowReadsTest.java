package io.spawnwatch.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import io.spawnwatch.event.TestRecords;
import io.spawnwatch.procfs.ProcFs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader never reads /proc: a miss is asked of the slow path, the event says pending, later events know. */
class SlowReadsTest {
    @TempDir
    Path proc;

    private void fakeProcess(int pid, String name, int ppid, String cmdline, String cgroup) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.writeString(dir.resolve("status"), "Name:\t" + name + "\nPPid:\t" + ppid + "\nUid:\t33\t33\t33\t33\n");
        Files.write(dir.resolve("cmdline"), (cmdline.replace(' ', '\0') + "\0").getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("cgroup"), cgroup);
    }

    private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s");
            Thread.sleep(5);
        }
    }

    @Test
    void shouldMarkTheEventPendingThenKnowTheParentForTheNextEvent() throws Exception {
        String id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        fakeProcess(4000, "php-fpm8.2", 1, "php-fpm: pool www", "0::/system.slice/docker-" + id + ".scope\n");
        fakeProcess(4242, "sh", 4000, "sh -c id", "0::/system.slice/docker-" + id + ".scope\n");
        ProcessTable table = new ProcessTable(64, proc);
        ContainerIds containers = new ContainerIds(proc);
        try (SlowReads slow = new SlowReads(table, containers, new ProcFs(proc))) {
            EnrichedEvent ev = new EnrichedEvent(table, new UserNames(proc.resolve("passwd")), containers,
                    new BootClock(), slow);
            assertTrue(ev.wrap(TestRecords.exec(4242, 4000, "sh", "php-fpm8.2", "/usr/bin/dash", "/", "/x", 33, 4000,
                    1, "sh", "-c", "id"), 0));
            assertNull(ev.text(Field.PARENT_COMMAND_LINE));
            assertNull(ev.text(Field.CONTAINER_ID));
            assertTrue(ev.enrichmentPending());
            await(() -> slow.stats().completed() == 2);
            assertEquals(new SlowReads.Stats(2, 2, 0, 0, 0), slow.stats());

            assertTrue(ev.wrap(TestRecords.exec(4243, 4000, "sh", "php-fpm8.2", "/usr/bin/dash", "/", "/x", 33, 4000,
                    1, "sh", "-c", "uname"), 0));
            assertEquals("php-fpm: pool www", ev.text(Field.PARENT_COMMAND_LINE).toString());
            assertEquals(id, ev.text(Field.CONTAINER_ID).toString());
            assertFalse(ev.enrichmentPending());
            assertEquals(2, slow.stats().requested(), "known now: nothing asked again");
        }
    }

    @Test
    void shouldNameAPendingParentFromTheRecordInTheLineageChain() throws Exception {
        ProcessTable table = new ProcessTable(64, proc);
        ContainerIds containers = new ContainerIds(proc);
        try (SlowReads slow = new SlowReads(table, containers, new ProcFs(proc))) {
            EnrichedEvent ev = new EnrichedEvent(table, new UserNames(proc.resolve("passwd")), containers,
                    new BootClock(), slow);
            // the master exec'd under our eyes; its worker (200) was forked, never exec'd, and /proc lacks it
            assertTrue(ev.wrap(TestRecords.exec(100, 1, "php-fpm8.2", "systemd", "/usr/sbin/php-fpm8.2", "/", "/x",
                    0, 100, 0, "php-fpm: master process"), 0));
            table.recordExec(ev.exec());
            assertTrue(ev.wrap(TestRecords.exec(300, 200, "sh", "php-fpm8.2", "/usr/bin/dash", "/", "/x", 33, 100,
                    2, "sh", "-c", "id"), 0));
            assertEquals("php-fpm8.2 > php-fpm8.2 > sh", ev.text(Field.LINEAGE_CHAIN).toString());
            assertTrue(ev.enrichmentPending());
            assertTrue(ev.wrap(TestRecords.exec(400, 300, "id", "sh", "/usr/bin/id", "/", "/x", 33, 100, 3, "id"), 0));
            assertEquals("php-fpm8.2 > ? > sh > id", ev.text(Field.LINEAGE_CHAIN).toString(),
                    "the shell is not in the table either (not recorded here): its parent is unknown");
        }
    }

    @Test
    void shouldAskOnceForAGoneProcessAndThenStopSayingPending() throws Exception {
        ProcessTable table = new ProcessTable(64, proc);
        ContainerIds containers = new ContainerIds(proc);
        try (SlowReads slow = new SlowReads(table, containers, new ProcFs(proc))) {
            SlowReads.Answer[] answer = new SlowReads.Answer[1];
            assertNull(slow.process(999, answer));
            assertEquals(SlowReads.Answer.PENDING, answer[0]);
            assertNull(slow.process(999, answer)); // asked already, in flight
            assertEquals(SlowReads.Answer.PENDING, answer[0]);
            await(() -> slow.stats().missing() == 1);
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(SlowReads.IN_FLIGHT_NANOS) + 50);
            assertNull(slow.process(999, answer));
            assertEquals(SlowReads.Answer.MISSING, answer[0], "gone: not asked again before the retry time");
            assertEquals(new SlowReads.Stats(1, 0, 1, 0, 0), slow.stats());
        }
    }
}
