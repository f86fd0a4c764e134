package io.spawnwatch.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.model.RuleSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an attacker who chooses the command line can do to the engine: a
 * pathological regex must not stall it, a flood of unique command lines must
 * not become a flood of alerts, and a slow rule must be visible.
 */
class RuleEngineHardeningTest {
    private static final String RE = "00000000-0000-4000-8000-0000000000e1";
    private static final String ANY = "00000000-0000-4000-8000-0000000000e2";
    private static final String SH = "00000000-0000-4000-8000-0000000000e3";

    /** The issue's rule: legal Sigma, catastrophic for a backtracking engine. */
    private static RuleSource backtrackingRule() {
        return new RuleSource("redos.yml", """
                title: copied from the internet
                id: %s
                level: high
                logsource: {product: linux, category: process_creation}
                detection:
                    sel:
                        CommandLine|re: '(.*a){11}!x'
                    condition: sel
                """.formatted(RE));
    }

    private static RuleSource anyExec(String id, String title) {
        return new RuleSource(title + ".yml", """
                title: %s
                id: %s
                level: medium
                logsource: {product: linux, category: process_creation}
                detection:
                    sel:
                        ProcessName|startswith: ''
                    condition: sel
                """.formatted(title, id));
    }

    private static DetectionConfig noDedup() {
        return DetectionConfig.defaults().withSuppression(new DetectionConfig.Suppression(Duration.ZERO,
                List.of("CommandLine"), 100));
    }

    @Test
    void shouldEvaluateTheIssuesBacktrackingRegexInLinearTime() {
        String attack = "/bin/true " + "a".repeat(1000) + "!";
        Rules.Collector sink = new Rules.Collector();
        try (RuleEngine engine = RuleEngine.open(noDedup(), List.of(backtrackingRule()), null)) {
            assertEquals(List.of(), engine.loadErrors());
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                engine.evaluate(TestEvent.phpFpmChild("/bin/true", "true", attack), sink);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            // java.util.regex needs longer than the age of the universe here; RE2 a few ms per event.
            assertTrue(millis < 5_000, "20 evaluations took " + millis + " ms");
            assertEquals(0, sink.alerts.size(), "the pattern needs '!x', which the command line lacks");
            engine.evaluate(TestEvent.phpFpmChild("/bin/true", "true", "aaaaaaaaaaa!x"), sink);
            assertEquals(1, sink.alerts.size());
        }
    }

    @Test
    void shouldRefuseBackreferencesWithTheReasonAndLoadTheOtherRules() {
        RuleSource backref = new RuleSource("backref.yml", """
                title: backref
                id: 00000000-0000-4000-8000-0000000000e4
                logsource: {product: linux, category: process_creation}
                detection:
                    sel:
                        CommandLine|re: '(a)\\1'
                    condition: sel
                """);
        try (RuleEngine engine = RuleEngine.open(noDedup(), List.of(backref, anyExec(ANY, "any")), null)) {
            assertEquals(1, engine.rules().size());
            RuleError e = engine.loadErrors().getFirst();
            assertEquals("backref.yml", e.source());
            assertEquals(6, e.line());
            assertTrue(e.message().contains("RE2 syntax") && e.message().contains("no backreferences"), e.message());
        }
    }

    @Test
    void shouldHoldBackAlertsOverThePerRuleBoundAndSendOneSummaryWithTheCount() {
        DetectionConfig config = noDedup().withAlertBounds(new DetectionConfig.AlertBounds(5, 1000,
                Duration.ofMinutes(1)));
        Rules.Collector sink = new Rules.Collector();
        try (RuleEngine engine = RuleEngine.open(config, List.of(anyExec(ANY, "any")), null)) {
            for (int i = 0; i < 20; i++) { // 20 unique command lines within one minute
                engine.evaluate(TestEvent.phpFpmChild("/bin/x", "x", "x " + i).at(i * 1_000_000_000L), sink);
            }
            assertEquals(5, sink.alerts.size());
            RuleStats s = engine.stats().rules().getFirst();
            assertEquals(15, s.heldBack());
            assertEquals(5, s.alerted());
            assertEquals(s.matched(), s.alerted() + s.heldBack());
            assertEquals(15, engine.stats().bounds().heldByRule());
            // The next event after the window closes carries the summary, then its own alert.
            engine.evaluate(TestEvent.phpFpmChild("/bin/x", "x", "x late").at(61_000_000_000L), sink);
            assertEquals(7, sink.alerts.size());
            Rules.Collector.Alert summary = sink.alerts.get(5);
            assertEquals(ANY, summary.ruleId());
            assertEquals(15, summary.repeats());
            assertTrue(summary.title().startsWith("Alerts held back: 15 alerts of rule any"), summary.title());
            assertEquals("x late", sink.alerts.get(6).commandLine());
        }
    }

    @Test
    void shouldBoundAlertsPerWebServerAcrossRules() {
        DetectionConfig config = noDedup().withAlertBounds(new DetectionConfig.AlertBounds(1000, 4,
                Duration.ofMinutes(1)));
        Rules.Collector sink = new Rules.Collector();
        try (RuleEngine engine = RuleEngine.open(config, List.of(anyExec(ANY, "any"), anyExec(SH, "also")), null)) {
            for (int i = 0; i < 5; i++) {
                engine.evaluate(TestEvent.phpFpmChild("/bin/x", "x", "x " + i).at(i), sink);
            }
            // Another web server has a budget of its own.
            engine.evaluate(TestEvent.phpFpmChild("/bin/x", "x", "other").set(Field.LINEAGE_ROOT_PID, 5000)
                    .set(Field.LINEAGE_ROOT_NAME, "nginx").at(10), sink);
            assertEquals(6, sink.alerts.size());
            assertEquals(6, engine.stats().bounds().heldByWebServer());
            engine.evaluate(TestEvent.phpFpmChild("/bin/x", "x", "later").at(Duration.ofMinutes(2).toNanos()), sink);
            Rules.Collector.Alert summary = sink.alerts.get(6);
            assertEquals(RuleEngine.ALERT_BOUND_RULE_ID, summary.ruleId());
            assertEquals(6, summary.repeats());
            assertTrue(summary.title().contains("web server php-fpm8.2 (pid 4000)"), summary.title());
        }
    }

    @Test
    void shouldCountASlowEvaluationAgainstItsRuleAndShowTheEvaluationInProgress() throws Exception {
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        // A command line whose first read blocks: stands in for any detection that is slow on
        // some input (the engine cannot tell why, only how long).
        CharSequence slowText = new CharSequence() {
            private final String text = "aaaaaaaaaaa!x";

            @Override
            public int length() {
                return text.length();
            }

            @Override
            public char charAt(int index) {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return text.charAt(index);
            }

            @Override
            public CharSequence subSequence(int start, int end) {
                return text.subSequence(start, end);
            }

            @Override
            public String toString() {
                return text;
            }
        };
        TestEvent base = TestEvent.phpFpmChild("/bin/true", "true", "unused");
        io.spawnwatch.event.EventView slowEvent = new io.spawnwatch.event.EventView() {
            @Override
            public io.spawnwatch.event.EventType type() {
                return base.type();
            }

            @Override
            public long timestampNanos() {
                return base.timestampNanos();
            }

            @Override
            public CharSequence text(Field field) {
                return field == Field.COMMAND_LINE ? slowText : base.text(field);
            }

            @Override
            public long number(Field field) {
                return base.number(field);
            }

            @Override
            public int address(Field field, byte[] out) {
                return base.address(field, out);
            }
        };
        Rules.Collector sink = new Rules.Collector();
        try (RuleEngine engine = RuleEngine.open(noDedup(), List.of(backtrackingRule()), null)) {
            Thread reader = Thread.ofPlatform().start(() -> engine.evaluate(slowEvent, sink));
            inside.await();
            Thread.sleep(150);
            EngineStats.Busy busy = engine.stats().busy();
            assertEquals(RE, busy.ruleId());
            assertTrue(busy.forNanos() >= 140_000_000L, "age " + busy.forNanos());
            release.countDown();
            reader.join();
            assertNull(engine.stats().busy());
            RuleStats s = engine.stats().rules().getFirst();
            assertEquals(1, s.slowEvaluations());
            assertTrue(s.slowestNanos() >= 140_000_000L);
            assertEquals(1, sink.alerts.size(), "the slow evaluation still delivers its verdict");
        }
    }
}
