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
                "Execute Permission Set in a Writable Directory by the Web Lineage",
                "Fileless Execution in the Web Lineage",
                "Web Server Lineage Gains Root or Capabilities by a Call",
                "Web Server Lineage Gains Root by Exec",
                "Payload Written to a Writable Directory by the Web Lineage",
                "Persistence File Written by the Web Lineage",
                "UDP or DNS-Tunnel Callback from the Web Lineage",
                "New Script in a Web Root Written by the Web Server",
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
