package io.spawnwatch.rules.model;

import java.util.Locale;

/**
 * Sigma's {@code level}, with the numbers Elastic's prebuilt rules use for
 * {@code event.risk_score} (low 21, medium 47, high 73, critical 99). The ECS
 * {@code event.severity} written for an alert is the same number, as Elastic
 * Defend does for its own alerts, so both sort the same way in a SIEM.
 */
public enum RuleLevel {
    INFORMATIONAL(1),
    LOW(21),
    MEDIUM(47),
    HIGH(73),
    CRITICAL(99);

    private final int riskScore;

    RuleLevel(int riskScore) {
        this.riskScore = riskScore;
    }

    public int riskScore() {
        return riskScore;
    }

    /** ECS {@code event.severity}. */
    public int severity() {
        return riskScore;
    }

    /** The Sigma spelling ("high"). */
    public String sigmaName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a Sigma level; null when it is not one. */
    public static RuleLevel parse(String text) {
        for (RuleLevel l : values()) {
            if (l.sigmaName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        return null;
    }
}
