package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.model.DetectionConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spawnwatch.event.EventView;
import io.spawnwatch.event.Field;
import io.spawnwatch.rules.engine.RuleSetCompiler;
import io.spawnwatch.rules.sigma.SigmaRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The shipped rules, compiled, looked up by title. */
final class BuiltinRuleFixture {
    static final String UNUSUAL_PROCESS = "Unusual Process Spawned from Web Server Parent";
    static final String SUSPICIOUS_CHILD_PROCESS = "Suspicious Web Server Child Process";
    static final String UNUSUAL_NETWORK = "Unusual Network Connection from Web Server";
    static final String SUSPICIOUS_CHILD_EXECUTION = "Suspicious Child Execution via Web Server";
    static final String SUSPICIOUS_COMMAND = "Suspicious Command Execution via Web Server";
    static final String UNUSUAL_CHILD = "Unusual Child Execution via Web Server";
    static final String UNUSUAL_COMMAND = "Unusual Command Execution via Web Server";

    private BuiltinRuleFixture() {}

    /** The shell a PHP system() call starts: sh -c COMMAND, /bin/sh resolved to dash. */
    static TestEvent shFromPhp(String command) {
        return TestEvent.phpFpmChild("/usr/bin/dash", "sh", "sh -c " + command);
    }

    /** A program an administrator runs from a root login shell: outside any web server. */
    static TestEvent loginShellChild(String image, String comm, String commandLine) {
        return TestEvent.exec().set(Field.IMAGE, image).set(Field.PROCESS_NAME, comm)
                .set(Field.COMMAND_LINE, commandLine).set(Field.CURRENT_DIRECTORY, "/root").set(Field.USER, "root")
                .set(Field.USER_ID, 0).set(Field.PARENT_IMAGE, "/usr/bin/bash").set(Field.PARENT_NAME, "bash")
                .set(Field.LINEAGE_DEPTH, 0);
    }

    static List<SigmaRule> compile(DetectionConfig config) {
        try {
            RuleSetCompiler.Result r = RuleSetCompiler.compile(RuleSource.builtin(), config);
            assertEquals(List.of(), r.errors());
            return r.rules();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SigmaRule rule(String title) {
        return rule(title, DetectionConfig.defaults());
    }

    static SigmaRule rule(String title, DetectionConfig config) {
        return compile(config).stream().filter(r -> r.metadata().title().equals(title)).findFirst().orElseThrow();
    }

    /** Titles of the shipped rules whose detection matches (before baselines and suppression). */
    static List<String> matching(EventView event) {
        return compile(DetectionConfig.defaults()).stream()
                .filter(r -> r.metadata().eventType() == event.type() && r.detection().matches(event))
                .map(r -> r.metadata().title())
                .sorted()
                .toList();
    }
}
