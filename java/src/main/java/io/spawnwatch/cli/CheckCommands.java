package io.spawnwatch.cli;

import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.error.ConfigException;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.RuleCheck;
import io.spawnwatch.rules.model.RuleError;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Offline checks: they read files and need no running sensor. */
final class CheckCommands {
    private CheckCommands() {}

    /** {@code spawnwatch config check FILE}. */
    @Command(name = "config", header = "Check configuration files.",
            subcommands = {ConfigCheck.class})
    static final class Config {}

    @Command(name = "check", header = "Validate a configuration file against the embedded defaults.",
            description = "Prints every problem with the key and what was expected; exit 0 when the file is fine.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the file is valid", "1:the file has problems (printed)", "2:usage error"})
    static final class ConfigCheck implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The YAML configuration file.")
        Path file;

        @Override
        public Integer call() {
            try {
                SensorConfig config = ConfigLoader.load(file, ConfigCheck::unknownDisabledRules);
                spec.commandLine().getOut().println(file + ": ok (" + config.webServers().names().size()
                        + " web-server names, ring " + config.kernel().ringBufferBytes() + " bytes)");
                return 0;
            } catch (ConfigException e) {
                e.problems().forEach(spec.commandLine().getErr()::println);
                return 1;
            }
        }

        /** The running sensor only warns of these; a check refuses them: the rule meant to be off would be on. */
        private static List<String> unknownDisabledRules(SensorConfig config) {
            java.util.Set<String> ids;
            try {
                ids = RuleCheck.ruleIds(config.detection(), config.rules().builtin(),
                        config.rules().paths().stream().map(Path::of).toList());
            } catch (java.io.IOException e) {
                return List.of("rules.paths: cannot read the rules: " + io.spawnwatch.files.IoErrors.describe(e));
            }
            List<String> disabled = config.detection().disabledRules();
            List<String> problems = new java.util.ArrayList<>();
            for (int i = 0; i < disabled.size(); i++) {
                if (!ids.contains(disabled.get(i))) {
                    problems.add("detection.disabled_rules[" + i + "]: no rule has id '" + disabled.get(i) + "' (the"
                            + " built-in rules and rules.paths were read); the rule meant to be turned off would stay on");
                }
            }
            return problems;
        }
    }

    /** {@code spawnwatch rules check FILE...}. */
    @Command(name = "check", header = "Lint Sigma rule files (and exceptions files) without a sensor.",
            description = "Prints each problem as FILE:LINE: message; exit 0 when every file compiles.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every file is valid", "1:problems found (printed)", "2:usage error"})
    static final class RulesCheck implements Callable<Integer> {
        /** Problems printed in full, as config check does. */
        static final int MAX_SHOWN = 50;

        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE",
                description = "Resolve %%lists%% against this configuration's detection section.")
        Path config;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Rule or exceptions files.")
        List<Path> files;

        @Override
        public Integer call() {
            DetectionConfig detection;
            try {
                detection = config == null ? DetectionConfig.defaults() : ConfigLoader.load(config).detection();
            } catch (ConfigException e) {
                e.problems().forEach(spec.commandLine().getErr()::println);
                return 2;
            }
            List<RuleError> errors = RuleCheck.check(detection, files.toArray(Path[]::new));
            // Every refused rule of every file, at most MAX_SHOWN of them: past that, the count.
            errors.stream().limit(MAX_SHOWN).forEach(e -> spec.commandLine().getErr().println(e.format()));
            if (errors.size() > MAX_SHOWN) {
                spec.commandLine().getErr().println((errors.size() - MAX_SHOWN) + " more problems not shown ("
                        + errors.size() + " in all)");
            }
            if (errors.isEmpty()) {
                spec.commandLine().getOut().println(files.size() + " file(s) ok");
                return 0;
            }
            return 1;
        }
    }
}
