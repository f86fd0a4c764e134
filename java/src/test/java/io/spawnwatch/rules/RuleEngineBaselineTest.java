package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.model.DetectionConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spawnwatch.event.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rarity and new terms through the engine, with the store closed and reopened in between. */
class RuleEngineBaselineTest {
    private static final String RARE_ID = "00000000-0000-4000-8000-0000000000aa";
    private static final String NEW_ID = "00000000-0000-4000-8000-0000000000bb";

    private static final RuleSource RULES = new RuleSource("baseline.yml", """
            title: rare shell
            id: %s
            logsource: {product: linux, category: process_creation}
            detection:
                sel:
                    ProcessName: sh
                condition: sel
            spawnwatch:
                rarity:
                    group_by: [Image, CurrentDirectory, ParentImage]
                    threshold: 5
                    window: 61m
            ---
            title: new command
            id: %s
            logsource: {product: linux, category: process_creation}
            detection:
                sel:
                    ProcessName: id
                condition: sel
            spawnwatch:
                new_terms:
                    fields: [CommandLine, Image]
                    window: 7d
            """.formatted(RARE_ID, NEW_ID));

    @TempDir
    Path dir;

    private RuleEngine open() {
        DetectionConfig config = DetectionConfig.defaults().withStatePath(dir.resolve("state.db").toString())
                .withSuppression(new DetectionConfig.Suppression(Duration.ZERO, null, null));
        return RuleEngine.open(config, List.of(RULES), null);
    }

    private static TestEvent sh(long minute) {
        return TestEvent.phpFpmChild("/usr/bin/dash", "sh", "sh -c id").atMinute(minute);
    }

    private static TestEvent id(String commandLine, long minute) {
        return TestEvent.phpFpmChild("/usr/bin/id", "id", commandLine).atMinute(minute);
    }

    @Test
    void shouldQuietTheFifthOccurrenceWithin61MinutesAndKeepHistoryAcrossARestart() {
        Rules.Collector sink = new Rules.Collector();
        try (RuleEngine engine = open()) {
            for (long m = 0; m < 3; m++) {
                engine.evaluate(sh(m * 10), sink);
            }
        }
        try (RuleEngine engine = open()) { // restart: history comes back from the store
            engine.evaluate(sh(30), sink); // 4th: still rare
            engine.evaluate(sh(40), sink); // 5th within 61m: quiet
            engine.evaluate(sh(50), sink); // 6th: quiet
            engine.evaluate(sh(40).set(Field.CURRENT_DIRECTORY, "/var/www/other"), sink); // another group
            engine.evaluate(sh(200), sink); // the window has passed: rare again
            RuleStats stats = engine.stats().rules().stream().filter(r -> r.id().equals(RARE_ID)).findFirst()
                    .orElseThrow();
            assertEquals(5, stats.matched());
            assertEquals(2, stats.suppressedByRarity());
            assertEquals(3, stats.alerted());
        }
        assertEquals(6, sink.alerts.size());
    }

    @Test
    void shouldAlertOnANewTermOncePerSevenDaysAcrossARestart() {
        Rules.Collector sink = new Rules.Collector();
        long day = 24 * 60;
        try (RuleEngine engine = open()) {
            engine.evaluate(id("id", 0), sink); // new
            engine.evaluate(id("id", 10), sink); // seen
            engine.evaluate(id("id -u", 10), sink); // new command line
        }
        try (RuleEngine engine = open()) {
            engine.evaluate(id("id", 3 * day), sink); // seen 3 days ago
            engine.evaluate(id("id", 11 * day), sink); // unseen for 8 days: new again
            engine.evaluate(TestEvent.phpFpmChild("/tmp/id", "id", "id").atMinute(11 * day), sink); // other image
        }
        assertEquals(List.of("id", "id -u", "id", "id"), sink.alerts.stream().map(Rules.Collector.Alert::commandLine)
                .toList());
    }

    @Test
    void shouldBoundTheBaselineUnderAFloodOfUniqueCommandLines() throws Exception {
        DetectionConfig config = DetectionConfig.defaults().withStatePath(dir.resolve("flood.db").toString())
                .withBaseline(5_000, Duration.ofHours(1));
        Rules.Collector sink = new Rules.Collector();
        try (RuleEngine engine = RuleEngine.open(config, List.of(RULES), null)) {
            TestEvent e = id("x", 0);
            for (int i = 0; i < 100_000; i++) {
                engine.evaluate(e.set(Field.COMMAND_LINE, "id " + i).at(i), sink);
            }
            var table = engine.stats().baselines().stream().filter(t -> t.name().startsWith(NEW_ID)).findFirst()
                    .orElseThrow();
            assertEquals(5_000, table.size());
            assertEquals(95_000, table.evictions());
            engine.flush();
            assertEquals(5_000, engine.storedBaselineRows(NEW_ID));
        }
    }
}
