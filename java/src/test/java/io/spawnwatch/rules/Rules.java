package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.rules.model.DetectionConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.spawnwatch.event.EventView;
import io.spawnwatch.rules.sigma.SigmaRule;
import io.spawnwatch.rules.sigma.SigmaRuleParser;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: compile rule text, collect alerts. */
public final class Rules {
    private Rules() {}

    /** A minimal valid rule around a detection block (indented by 4). */
    public static String rule(String category, String detection) {
        return "title: t\n"
                + "id: 00000000-0000-4000-8000-000000000001\n"
                + "logsource:\n  product: linux\n  category: " + category + "\n"
                + "detection:\n" + detection;
    }

    public static SigmaRule compile(String text) {
        return compile(text, DetectionConfig.defaults());
    }

    public static SigmaRule compile(String text, DetectionConfig config) {
        List<SigmaRuleParser.Result> results = new SigmaRuleParser(config).parse("test.yml", text);
        assertEquals(1, results.size());
        if (results.getFirst() instanceof SigmaRuleParser.Refused r) {
            fail("rule refused: " + r.error().format());
        }
        return ((SigmaRuleParser.Loaded) results.getFirst()).rule();
    }

    /** The error of a rule that must be refused. */
    public static String error(String text) {
        List<SigmaRuleParser.Result> results = new SigmaRuleParser(DetectionConfig.defaults()).parse("test.yml", text);
        assertEquals(1, results.size());
        if (results.getFirst() instanceof SigmaRuleParser.Refused r) {
            return r.error().format();
        }
        return fail("rule was accepted");
    }

    /** An exec rule whose detection is one selection {@code sel} with the given body. */
    public static SigmaRule execSelection(String selectionBody) {
        return compile(rule("process_creation", "    sel:\n" + selectionBody + "    condition: sel\n"));
    }

    public static boolean matches(SigmaRule rule, EventView event) {
        return rule.detection().matches(event);
    }

    /** Collects alerts. */
    public static final class Collector implements AlertSink {
        public record Alert(String ruleId, String title, long repeats, String commandLine) {}

        public final List<Alert> alerts = new ArrayList<>();

        @Override
        public void alert(RuleMetadata rule, EventView event, long repeatsSuppressed) {
            CharSequence cl = event.text(io.spawnwatch.event.Field.COMMAND_LINE);
            alerts.add(new Alert(rule.id(), rule.title(), repeatsSuppressed, cl == null ? null : cl.toString()));
        }

        public List<String> titles() {
            return alerts.stream().map(Alert::title).toList();
        }

        public void clear() {
            alerts.clear();
        }
    }
}
