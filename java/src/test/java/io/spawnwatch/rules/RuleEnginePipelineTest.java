package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.model.DetectionConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exceptions, suppression, counters, enable/disable and atomic reload. */
class RuleEnginePipelineTest {
    private static final String A = "00000000-0000-4000-8000-00000000000a";
    private static final String B = "00000000-0000-4000-8000-00000000000b";

    private static RuleSource rule(String id, String title, String selection) {
        return new RuleSource(title + ".yml", """
                title: %s
                id: %s
                level: high
                tags: [attack.execution, attack.t1059.004]
                logsource: {product: linux, category: process_creation}
                detection:
                    sel:
                        %s
                    condition: sel
                """.formatted(title, id, selection));
    }

    private static final List<RuleSource> TWO = List.of(
            rule(A, "shell", "ProcessName: sh"), rule(B, "whoami", "ProcessName: whoami"));

    private static DetectionConfig config() {
        return DetectionConfig.defaults().withSuppression(new DetectionConfig.Suppression(Duration.ofMinutes(10),
                List.of("Image", "CommandLine"), 100));
    }

    private static TestEvent sh(String command, long minute) {
        return TestEvent.phpFpmChild("/usr/bin/dash", "sh", "sh -c " + command).atMinute(minute);
    }

    private static RuleStats stats(RuleEngine engine, String id) {
        return engine.stats().rules().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void shouldSuppressRepeatsWithinTheWindowAndReportTheirCountWithTheNextAlert() {
        Rules.Collector sink = new Rules.Collector();
        try (RuleEngine engine = RuleEngine.open(config(), TWO, null)) {
            engine.evaluate(sh("id", 0), sink);
            engine.evaluate(sh("id", 1), sink);
            engine.evaluate(sh("id", 2), sink);
            engine.evaluate(sh("uname", 3), sink); // another key
            engine.evaluate(sh("id", 9), sink);
            engine.evaluate(sh("id", 10), sink); // window of 10m from minute 0 is over
            assertEquals(List.of(0L, 0L, 3L), sink.alerts.stream().map(Rules.Collector.Alert::repeats).toList());
            RuleStats s = stats(engine, A);
            assertEquals(6, s.matched());
            assertEquals(3, s.suppressedByDedup());
            assertEquals(3, s.alerted());
            assertEquals(6, s.evaluated());
        }
    }

    @Test
    void shouldApplyPerRuleAndGlobalExceptionsAndCountTheirHits() {
        RuleSource exceptions = new RuleSource("exceptions.yml", """
                exceptions:
                  - id: version-probe
                    rules: [%s]
                    match:
                      CommandLine|endswith: phpversion
                  - id: backups-everywhere
                    match:
                      - CurrentDirectory: /srv/backup
                      - ParentName: cron
                """.formatted(A));
        Rules.Collector sink = new Rules.Collector();
        try (RuleEngine engine = RuleEngine.open(config(), TWO, exceptions)) {
            assertEquals(List.of(), engine.loadErrors());
            engine.evaluate(sh("php phpversion", 0), sink);
            engine.evaluate(sh("id", 0).set(Field.CURRENT_DIRECTORY, "/srv/backup"), sink);
            engine.evaluate(TestEvent.phpFpmChild("/usr/bin/whoami", "whoami", "whoami phpversion"), sink);
            assertEquals(List.of("whoami"), sink.titles());
            assertEquals(2, stats(engine, A).suppressedByException());
            assertEquals(List.of(new EngineStats.ExceptionStats("version-probe", 1),
                    new EngineStats.ExceptionStats("backups-everywhere", 1)), engine.stats().exceptions());
            assertTrue(engine.reload(TWO, exceptions).applied());
            engine.evaluate(sh("php phpversion", 0), sink);
            assertEquals(List.of(new EngineStats.ExceptionStats("version-probe", 2),
                    new EngineStats.ExceptionStats("backups-everywhere", 1)), engine.stats().exceptions());
        }
    }

    @Test
    void shouldStopEvaluatingADisabledRuleAndKeepItDisabledAcrossReload() {
        Rules.Collector sink = new Rules.Collector();
        try (RuleEngine engine = RuleEngine.open(config(), TWO, null)) {
            assertTrue(engine.setEnabled(A, false));
            assertFalse(engine.setEnabled("00000000-0000-4000-8000-0000000000ff", false));
            engine.evaluate(sh("id", 0), sink);
            assertTrue(engine.reload(TWO, null).applied());
            engine.evaluate(sh("id", 1), sink);
            assertEquals(List.of(), sink.alerts);
            assertEquals(0, stats(engine, A).evaluated());
            assertFalse(stats(engine, A).enabled());
            engine.setEnabled(A, true);
            engine.evaluate(sh("id", 2), sink);
            assertEquals(List.of("shell"), sink.titles());
        }
    }

    @Test
    void shouldKeepTheOldRulesAndReturnEveryErrorWhenAReloadHasABrokenFile() {
        Rules.Collector sink = new Rules.Collector();
        try (RuleEngine engine = RuleEngine.open(config(), TWO, null)) {
            RuleSource broken = rule("00000000-0000-4000-8000-00000000000c", "broken", "Image|utf16: x");
            RuleSource brokenToo = new RuleSource("bad.yml", "title: [\n");
            RuleSource exceptions = new RuleSource("ex.yml", "exceptions:\n  - id: x\n    rules: [nope]\n"
                    + "    match: {Image: y}\n");
            ReloadResult r = engine.reload(List.of(rule(A, "shell v2", "ProcessName: bash"), broken, brokenToo),
                    exceptions);
            assertFalse(r.applied());
            assertEquals(List.of(
                    "broken.yml:8: unsupported modifier 'utf16' on field Image: argv and paths reach us as bytes,"
                            + " never UTF-16",
                    "bad.yml:2: YAML syntax: expected the node content, but found '<stream end>'",
                    "ex.yml:3: exception 'x' names rule 'nope', which is not loaded"),
                    r.errors().stream().map(RuleError::format).toList());
            engine.evaluate(sh("id", 0), sink);
            assertEquals(List.of("shell"), sink.titles());

            ReloadResult ok = engine.reload(List.of(rule(A, "shell v2", "ProcessName: bash")), null);
            assertEquals(new ReloadResult(true, 1, List.of()), ok);
            engine.evaluate(sh("id", 20), sink);
            engine.evaluate(TestEvent.phpFpmChild("/usr/bin/bash", "bash", "bash -c id").atMinute(20), sink);
            assertEquals(List.of("shell", "shell v2"), sink.titles());
            assertEquals(3, stats(engine, A).evaluated()); // counters survive the reload
        }
    }

    @Test
    void shouldLoadTheGoodRulesAtStartAndReportTheRefusedOnes() {
        try (RuleEngine engine = RuleEngine.open(config(), List.of(TWO.get(0),
                rule(B, "bad", "DestinationHostname: x")), null)) { // a process_creation rule
            assertEquals(List.of("shell"), engine.rules().stream().map(RuleMetadata::title).toList());
            assertEquals(1, engine.loadErrors().size());
            assertTrue(engine.loadErrors().getFirst().format().startsWith("bad.yml:8: field DestinationHostname"));
        }
    }

    @Test
    void shouldNotEvaluateNetworkRulesOnExecEvents() throws Exception {
        try (RuleEngine engine = RuleEngine.open(DetectionConfig.defaults(), RuleSource.builtin(), null)) {
            engine.evaluate(sh("id", 0), new Rules.Collector());
            RuleStats net = engine.stats().rules().stream()
                    .filter(r -> r.title().equals("Unusual Network Connection from Web Server")).findFirst()
                    .orElseThrow();
            assertEquals(0, net.evaluated());
            assertEquals(15, engine.rules().size());
        }
    }
}
