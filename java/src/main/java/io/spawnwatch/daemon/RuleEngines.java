package io.spawnwatch.daemon;

import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.error.ConfigException;
import io.spawnwatch.rules.DetectionException;
import io.spawnwatch.rules.RuleEngine;
import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.model.RuleSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the rule engine the configuration describes: the built-in rules,
 * the configured rule files, the exceptions file. A bad rule is refused and
 * logged while the others load; a missing file or an unusable state store
 * stops the start with a message that names it.
 */
public final class RuleEngines {
    private static final System.Logger LOG = System.getLogger(RuleEngines.class.getName());

    private RuleEngines() {}

    public static RuleEngine open(SensorConfig config) throws ConfigException {
        RuleSourceSet sources = sources(config);
        RuleEngine engine;
        try {
            engine = RuleEngine.open(config.detection(), sources.rules(), sources.exceptions());
        } catch (DetectionException e) {
            throw new ConfigException("detection: " + e.getMessage(), e);
        }
        for (RuleError error : engine.loadErrors()) {
            LOG.log(System.Logger.Level.WARNING, "rule refused: " + error);
        }
        LOG.log(System.Logger.Level.INFO, engine.rules().size() + " rules loaded, " + engine.loadErrors().size()
                + " refused");
        return engine;
    }

    /** The rule and exception files of a configuration. */
    record RuleSourceSet(List<RuleSource> rules, RuleSource exceptions) {}

    static RuleSourceSet sources(SensorConfig config) throws ConfigException {
        List<RuleSource> rules = new ArrayList<>();
        try {
            if (config.rules().builtin()) {
                rules.addAll(RuleSource.builtin());
            }
            List<Path> paths = new ArrayList<>();
            for (String p : config.rules().paths()) {
                paths.add(Path.of(p));
            }
            rules.addAll(RuleSource.of(paths));
            // A missing exceptions file means no exceptions yet: `spawnwatch
            // exceptions add` creates it.
            RuleSource exceptions = config.rules().exceptions() == null ? null
                    : new ExceptionStore(Path.of(config.rules().exceptions())).source();
            return new RuleSourceSet(rules, exceptions);
        } catch (IOException | RuntimeException e) {
            // RuntimeException: e.g. no zip file system provider in a cut-down runtime.
            throw new ConfigException("rules: cannot read " + e, e);
        }
    }
}
