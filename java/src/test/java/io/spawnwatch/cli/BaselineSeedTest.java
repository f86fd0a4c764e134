package io.spawnwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.spawnwatch.ecs.AgentIdentity;
import io.spawnwatch.ecs.EcsEventWriter;
import io.spawnwatch.ecs.HostIdentity;
import io.spawnwatch.enrich.BootClock;
import io.spawnwatch.enrich.ContainerIds;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.enrich.ProcessTable;
import io.spawnwatch.enrich.UserNames;
import io.spawnwatch.event.TestRecords;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.RuleEngine;
import io.spawnwatch.rules.model.RuleSource;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spawnwatch baseline seed}: a recording made by the real ECS writer
 * seeds the new-terms baseline, so what it holds raises no alert afterwards
 * while something new still does.
 */
class BaselineSeedTest {
    private static final String UNUSUAL_COMMAND = "Unusual Command Execution via Web Server";
    @TempDir
    Path dir;


    /** What `run --events --output FILE` writes for php-fpm running sh -c COMMAND, an alert among them. */
    private Path recording(String... commands) throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), "www-data:x:33:33::/var/www:/usr/sbin/nologin\n");
        Path proc = Files.createDirectories(dir.resolve("proc"));
        ProcessTable table = new ProcessTable(64, proc);
        EnrichedEvent event = new EnrichedEvent(table, new UserNames(passwd), new ContainerIds(proc),
                new BootClock());
        EcsEventWriter writer = new EcsEventWriter(new HostIdentity("4c4c4544004e3510804bb4c04f4e3232", "web1", null,
                null, null, null, null, null, "x86_64", "b"), new AgentIdentity("a", "spawnwatch", "0.1.0", "web1",
                false));
        StringBuilder file = new StringBuilder();
        List<MemorySegment> records = new ArrayList<>();
        records.add(TestRecords.exec(200, 100, "php-fpm8.2", "php-fpm8.2", "/usr/sbin/php-fpm8.2", "/",
                "/usr/sbin/php-fpm8.2", 33, 100, 1, "php-fpm: pool www"));
        int pid = 300;
        for (String c : commands) {
            records.add(TestRecords.exec(pid++, 200, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html",
                    "/usr/sbin/php-fpm8.2", 33, 100, 2, "sh", "-c", c));
        }
        for (MemorySegment r : records) {
            assertTrue(event.wrap(r, 0));
            table.recordExec(event.exec()); // as the pipeline's process stage does
            StringWriter line = new StringWriter();
            try (JsonGenerator g = new JsonFactory().createGenerator(line)) {
                writer.writeEvent(g, event);
            }
            file.append(line).append('\n');
        }
        // An alert repeats its event: the seeder skips it rather than count the event twice.
        StringWriter alert = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(alert)) {
            writer.writeAlert(g, event, io.spawnwatch.rules.Rules.compile(io.spawnwatch.rules.Rules.rule(
                    "process_creation", "    sel:\n        ProcessName: sh\n    condition: sel\n")).metadata(), 0);
        }
        file.append(alert).append('\n');
        return Files.writeString(dir.resolve("events.ndjson"), file.toString());
    }

    @Test
    void shouldSeedNewTermsSoThatRecordedCommandsRaiseNothingAndNewOnesStillDo() throws Exception {
        Path events = recording("/usr/sbin/sendmail -t -i", "convert a.png b.jpg");
        Path state = dir.resolve("baselines.db");
        CliRun r = CliRun.run("baseline", "seed", "--state", state.toString(), events.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        // 3 events: the php-fpm worker's exec (a php* child of php-fpm) updates Unusual Process Spawned's
        // rarity; each sh -c that and Unusual Command Execution's new terms.
        assertEquals("seeded " + state + ": 3 events read, 3 recorded in 5 baseline updates, 1 alerts skipped,"
                + " 0 bad lines\n", r.out());

        io.spawnwatch.rules.Rules.Collector alerts = new io.spawnwatch.rules.Rules.Collector();
        DetectionConfig config = DetectionConfig.defaults().withStatePath(state.toString());
        long now = System.currentTimeMillis() * 1_000_000L;
        try (RuleEngine engine = RuleEngine.open(config, RuleSource.builtin(), null)) {
            engine.evaluate(io.spawnwatch.rules.TestEvent.phpFpmChild("/usr/bin/dash", "sh",
                    "sh -c /usr/sbin/sendmail -t -i").at(now), alerts);
            engine.evaluate(io.spawnwatch.rules.TestEvent.phpFpmChild("/usr/bin/dash", "sh",
                    "sh -c /tmp/.x/payload").at(now), alerts);
        }
        assertEquals(List.of("sh -c /tmp/.x/payload"), alerts.alerts.stream()
                .filter(a -> a.title().equals(UNUSUAL_COMMAND)).map(a -> a.commandLine()).toList());
    }

    @Test
    void shouldRefuseARelativeStatePathWithOneLineAndCreateTheStateDirectoryPrivate() throws Exception {
        Path events = recording("id");
        CliRun r = CliRun.run("baseline", "seed", "--state", "relative.db", events.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("spawnwatch: --state: state_path: expected an absolute path, got 'relative.db'\n", r.err());

        // A state directory the command creates holds command lines: owner only, whatever the umask.
        Path state = dir.resolve("new/state/baselines.db");
        assertEquals(0, CliRun.run("baseline", "seed", "--state", state.toString(), events.toString()).code());
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.getParent())));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("new"))));
    }

    @Test
    void shouldSkipAnyAlertAndFailWhenNoEventCouldBeRead() throws Exception {
        Path events = Files.writeString(dir.resolve("bad.ndjson"), "{\"event\":{\"kind\":\"alert\"}}\n{not json\n");
        CliRun r = CliRun.run("baseline", "seed", "--state", dir.resolve("b.db").toString(), events.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().endsWith("0 events read, 0 recorded in 0 baseline updates, 1 alerts skipped,"
                + " 1 bad lines\n"), r.out());
        assertTrue(r.err().endsWith("spawnwatch: no event could be read: nothing was seeded\n"), r.err());
    }

    @Test
    void shouldNameTheFileAndLineOfABadDocumentAndGoOn() throws Exception {
        Path events = recording("id");
        Files.writeString(events, "{not json\n{\"event\":{\"category\":[\"file\"]},\"@timestamp\":\"x\"}\n"
                + Files.readString(events));
        CliRun r = CliRun.run("baseline", "seed", "--state", dir.resolve("b.db").toString(), events.toString());
        assertEquals(0, r.code(), r.err());
        String[] err = r.err().split("\n");
        assertTrue(err[0].startsWith(events + ":1: not JSON: "), err[0]);
        assertEquals(events + ":2: event.category: expected [\"process\"] or [\"network\"], found [\"file\"]", err[1]);
        assertTrue(r.out().endsWith("2 bad lines\n"), r.out());
    }

    @Test
    void shouldSayWhichFileIsMissing() {
        Path missing = dir.resolve("nope.ndjson");
        CliRun r = CliRun.run("baseline", "seed", "--state", dir.resolve("b.db").toString(), missing.toString());
        assertEquals(1, r.code());
        assertEquals("spawnwatch: " + missing + ": no such file\n", r.err());
    }
}
