package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.model.DetectionConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spawnwatch.rules.engine.RuleSetCompiler;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinRulesLoadTest {
    @Test
    void shouldLoadEveryShippedRuleWithoutError() throws Exception {
        List<RuleSource> sources = RuleSource.builtin();
        RuleSetCompiler.Result r = RuleSetCompiler.compile(sources, DetectionConfig.defaults());
        assertEquals(List.of(), r.errors().stream().map(RuleError::format).toList());
        assertEquals(List.of(
                "Suspicious Child Execution via Web Server",
                "Suspicious Web Server Child Process",
                "Suspicious Command Execution via Web Server",
                "Unusual Child Execution via Web Server",
                "Unusual Command Execution via Web Server",
                "Unusual Network Connection from Web Server",
                "Unusual Process Spawned from Web Server Parent"),
                r.rules().stream().map(x -> x.metadata().title()).toList());
    }
}
