package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleError;
import java.util.List;

/**
 * The outcome of {@link RuleEngine#reload}: either the new rules run now, or
 * nothing changed and {@code errors} says every reason.
 */
public record ReloadResult(boolean applied, int rules, List<RuleError> errors) {
    public ReloadResult {
        errors = List.copyOf(errors);
    }
}
