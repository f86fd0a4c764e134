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
            RuleSource.Read read;
            try {
                read = RuleSource.read(List.of(p));
            } catch (IOException e) {
                errors.add(new RuleError(p.toString(), 0, "cannot read: " + io.spawnwatch.files.IoErrors.describe(e)));
                continue;
            }
            errors.addAll(read.unreadable());
            for (RuleSource s : read.sources()) {
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

    /**
     * The ids of the rules a configuration loads (built-in ones when
     * {@code builtin}, then the files and directories in {@code paths}), for
     * checking ids the configuration names. Unreadable files and refused rules
     * contribute nothing.
     */
    public static java.util.Set<String> ruleIds(DetectionConfig config, boolean builtin, List<Path> paths)
            throws IOException {
        List<RuleSource> sources = new ArrayList<>();
        if (builtin) {
            sources.addAll(RuleSource.builtin());
        }
        sources.addAll(RuleSource.read(paths).sources());
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        RuleSetCompiler.compile(sources, config).rules().forEach(r -> ids.add(r.id()));
        return ids;
    }

    private static boolean isExceptionsFile(String text) {
        return Arrays.stream(text.split("\n")).anyMatch(l -> l.startsWith("exceptions:"));
    }
}
