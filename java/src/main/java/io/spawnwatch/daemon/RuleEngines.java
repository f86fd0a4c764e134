package io.spawnwatch.daemon;

import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.error.ConfigException;
import io.spawnwatch.files.PrivateFiles;
import io.spawnwatch.rules.DetectionException;
import io.spawnwatch.rules.RuleEngine;
import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.rules.model.RuleSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Opens the rule engine the configuration describes: the built-in rules,
 * the configured rule files, the exceptions file. A bad rule, or a rule file
 * that cannot be read as text, is refused and logged while the others load;
 * a missing path or an unusable state store stops the start with a message
 * that names it. The baseline database is created private (PrivateFiles).
 */
public final class RuleEngines {
    private static final System.Logger LOG = System.getLogger(RuleEngines.class.getName());

    private RuleEngines() {}

    public static RuleEngine open(SensorConfig config) throws ConfigException {
        RuleSourceSet sources = sources(config);
        prepareStateFile(config);
        RuleEngine engine;
        try {
            engine = RuleEngine.open(config.detection(), sources.rules(), sources.exceptions());
        } catch (DetectionException e) {
            throw new ConfigException("detection: " + e.getMessage(), e);
        }
        for (RuleError error : sources.unreadable()) {
            LOG.log(System.Logger.Level.WARNING, "rule file refused: " + error.format());
        }
        for (RuleError error : engine.loadErrors()) {
            LOG.log(System.Logger.Level.WARNING, "rule refused: " + error);
        }
        for (String unknown : unknownDisabled(config, engine.rules())) {
            LOG.log(System.Logger.Level.WARNING, "detection.disabled_rules: no loaded rule has id '" + unknown
                    + "'; check the id (spawnwatch rules list): the rule you meant to turn off is on");
        }
        LOG.log(System.Logger.Level.INFO, engine.rules().size() + " rules loaded, "
                + (engine.loadErrors().size() + sources.unreadable().size()) + " refused");
        return engine;
    }

    /** Ids in detection.disabled_rules that name no loaded rule (typos). */
    static List<String> unknownDisabled(SensorConfig config, List<RuleMetadata> rules) {
        Set<String> ids = rules.stream().map(RuleMetadata::id).collect(Collectors.toSet());
        return config.detection().disabledRules().stream().filter(id -> !ids.contains(id)).toList();
    }

    /**
     * The rule and exception files of a configuration.
     *
     * @param unreadable rule files refused before compiling (not a regular file, too large, not UTF-8)
     */
    record RuleSourceSet(List<RuleSource> rules, RuleSource exceptions, List<RuleError> unreadable) {}

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
            RuleSource.Read read = RuleSource.read(paths);
            rules.addAll(read.sources());
            RuleSource exceptions = exceptionsSource(config);
            return new RuleSourceSet(rules, exceptions, read.unreadable());
        } catch (IOException | RuntimeException e) {
            // RuntimeException: e.g. no zip file system provider in a cut-down runtime.
            throw new ConfigException("rules: cannot read " + e.getMessage(), e);
        }
    }

    /** A missing exceptions file means no exceptions yet: `spawnwatch exceptions add` creates it. */
    private static RuleSource exceptionsSource(SensorConfig config) throws ConfigException {
        String path = config.rules().exceptions();
        if (path == null) {
            return null;
        }
        try {
            return new ExceptionStore(Path.of(path), -1).source();
        } catch (IOException e) {
            throw new ConfigException("rules.exceptions: " + path + ": " + e.getMessage(), e);
        }
    }

    /** Creates the baseline database 0600 (0640 with control.socket_group) in a 0700 (0750) directory. */
    private static void prepareStateFile(SensorConfig config) throws ConfigException {
        String statePath = config.detection().statePath();
        if (statePath == null) {
            return;
        }
        long group = config.control().socketGroup() == null ? -1 : config.control().socketGroup();
        try {
            Path db = Path.of(statePath);
            if (PrivateFiles.prepareFile(db, group)) {
                LOG.log(System.Logger.Level.WARNING, "detection.state_path " + db + " was readable by others;"
                        + " its mode is now " + (group >= 0 ? "0640" : "0600"));
            }
            for (String suffix : List.of("-wal", "-shm")) {
                Path side = Path.of(statePath + suffix);
                if (Files.exists(side)) {
                    PrivateFiles.restrictFile(side, group);
                }
            }
        } catch (IOException e) {
            throw new ConfigException("detection.state_path: cannot create " + statePath + ": " + e.getMessage(), e);
        }
    }
}
