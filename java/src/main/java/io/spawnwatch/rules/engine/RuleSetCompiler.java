package io.spawnwatch.rules.engine;

import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.sigma.SigmaRule;
import io.spawnwatch.rules.sigma.SigmaRuleParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and compiles rule files into Sigma rules, without touching engine
 * state: what the engine runs at start and on reload, and what the linter
 * runs. Collects every error instead of stopping at the first.
 */
public final class RuleSetCompiler {
    /** Rules that compiled, and every error (a refused rule does not stop the others). */
    public record Result(List<SigmaRule> rules, List<RuleError> errors) {}

    private RuleSetCompiler() {}

    public static Result compile(List<RuleSource> sources, DetectionConfig config) {
        SigmaRuleParser parser = new SigmaRuleParser(config);
        Map<String, SigmaRule> byId = new LinkedHashMap<>();
        List<RuleError> errors = new ArrayList<>();
        for (RuleSource src : sources) {
            for (SigmaRuleParser.Result r : parser.parse(src.name(), src.text())) {
                switch (r) {
                    case SigmaRuleParser.Refused refused -> errors.add(refused.error());
                    case SigmaRuleParser.Loaded loaded -> {
                        SigmaRule rule = loaded.rule();
                        SigmaRule previous = byId.putIfAbsent(rule.id(), rule);
                        if (previous != null) {
                            errors.add(new RuleError(src.name(), rule.line(), "duplicate rule id " + rule.id()
                                    + " (already defined by " + previous.metadata().source() + ":"
                                    + previous.line() + ")"));
                        }
                    }
                }
            }
        }
        return new Result(List.copyOf(byId.values()), List.copyOf(errors));
    }
}
