package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.engine.RuleSetCompiler;
import io.spawnwatch.rules.exceptions.ExceptionList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The linter behind {@code spawnwatch rules check FILE...}: compiles rule
 * files exactly as the engine would and returns every problem, each naming
 * file, line and field or feature. A file whose top-level key is
 * {@code exceptions:} is checked as an exceptions file (rule ids it names are
 * not checked: the rules may live elsewhere). Directories contribute their
 * *.yml/*.yaml files. No state is opened.
 */
public final class RuleCheck {
    private RuleCheck() {}

    /** Checks against the default configuration (its placeholders). */
    public static List<RuleError> check(Path... files) {
        return check(DetectionConfig.defaults(), files);
    }

    /** Checks against a given configuration, so custom {@code lists} placeholders resolve. */
    public static List<RuleError> check(DetectionConfig config, Path... files) {
        List<RuleError> errors = new ArrayList<>();
        List<RuleSource> rules = new ArrayList<>();
        for (Path p : files) {
            List<RuleSource> sources;
            try {
                sources = RuleSource.of(List.of(p));
            } catch (IOException e) {
                errors.add(new RuleError(p.toString(), 0, "cannot read: " + e.getMessage()));
                continue;
            }
            for (RuleSource s : sources) {
                if (isExceptionsFile(s.text())) {
                    errors.addAll(ExceptionList.parse(s.name(), s.text(), config, null).errors());
                } else {
                    rules.add(s);
                }
            }
        }
        errors.addAll(RuleSetCompiler.compile(rules, config).errors());
        return List.copyOf(errors);
    }

    private static boolean isExceptionsFile(String text) {
        return Arrays.stream(text.split("\n")).anyMatch(l -> l.startsWith("exceptions:"));
    }
}
