package io.spawnwatch.daemon;

import io.spawnwatch.rules.EngineStats;
import io.spawnwatch.rules.RuleEngine;
import io.spawnwatch.rules.RuleStats;
import io.spawnwatch.rules.baseline.Baselines;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the rule engine's numbers into the lines {@code status} shows under
 * WARNING: whatever makes the sensor see less than it should, said plainly,
 * so that a stuck rule or a full disk does not look like a quiet host.
 */
final class EngineWarnings {
    private EngineWarnings() {}

    static List<String> of(EngineStats s) {
        List<String> out = new ArrayList<>();
        EngineStats.Busy busy = s.busy();
        if (busy != null) {
            out.add(String.format(Locale.ROOT, "rule %s has been evaluating one event for %.1f s: events wait"
                    + " behind it", busy.ruleId(), busy.forNanos() / 1e9));
        }
        for (RuleStats r : s.rules()) {
            if (r.slowEvaluations() > 0) {
                out.add(String.format(Locale.ROOT, "rule %s: %d evaluation(s) slower than %d ms, slowest %.1f ms",
                        r.id(), r.slowEvaluations(), RuleEngine.SLOW_EVALUATION_NANOS / 1_000_000,
                        r.slowestNanos() / 1e6));
            }
        }
        EngineStats.AlertBounds b = s.bounds();
        if (b.heldByRule() + b.heldByWebServer() > 0) {
            out.add("alerts held back by the alert bounds: " + b.heldByRule() + " over " + b.perRule()
                    + " per rule, " + b.heldByWebServer() + " over " + b.perWebServer() + " per web server (per "
                    + b.window().toSeconds() + " s); each window's count goes out in a summary alert");
        }
        Baselines.StoreStats store = s.store();
        if (store.failing()) {
            out.add("baseline store " + store.path() + ": " + store.lastError() + " (" + store.flushFailures()
                    + " failed writes; changes are kept in memory and retried)");
        }
        return List.copyOf(out);
    }
}
