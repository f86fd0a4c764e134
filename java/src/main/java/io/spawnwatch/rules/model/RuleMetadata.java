package io.spawnwatch.rules.model;

import io.spawnwatch.event.EventType;
import java.util.List;

/**
 * What an alert says about the rule that raised it: identity, text, level and
 * the ATT&CK mapping from the rule's tags. Immutable; shared by every alert of
 * the rule. Plain data: rules.alert.EcsRuleFields renders it as ECS.
 *
 * @param id the rule's Sigma {@code id} (a UUID), stable across versions
 * @param version {@code spawnwatch.version} if set, else {@code modified}, else {@code date}, else "1"
 * @param eventType which events the rule reads (from {@code logsource.category})
 * @param source the file the rule came from, for messages
 */
public record RuleMetadata(
        String id,
        String title,
        String description,
        String version,
        String status,
        RuleLevel level,
        EventType eventType,
        String author,
        List<String> tags,
        List<String> references,
        List<String> falsePositives,
        MitreAttack.Mapping attack,
        String source) {

    public RuleMetadata {
        tags = List.copyOf(tags);
        references = List.copyOf(references);
        falsePositives = List.copyOf(falsePositives);
    }

    /** ECS {@code event.severity}. */
    public int severity() {
        return level.severity();
    }

    /** ECS {@code event.risk_score}. */
    public int riskScore() {
        return level.riskScore();
    }
}
