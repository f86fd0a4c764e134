package io.spawnwatch.rules.engine;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.rules.baseline.BaselineTable;
import io.spawnwatch.rules.exceptions.ExceptionList;
import io.spawnwatch.rules.match.Matcher;
import io.spawnwatch.rules.sigma.RuleExtension;
import java.util.List;

/**
 * A rule bound to the engine's state: its detection, the exceptions that
 * apply to it, its baseline table (when it has rarity or new terms), its
 * suppression key and its counters. Everything the hot path needs is a final
 * field, read without allocation.
 */
public final class CompiledRule {
    public final RuleMetadata metadata;
    public final Matcher detection;
    public final RuleCounters counters;
    public final ExceptionList.Entry[] exceptions;
    public final RuleExtension.Rarity rarity;
    public final RuleExtension.NewTerms newTerms;
    /** Null without rarity or new terms. */
    public final BaselineTable baseline;
    public final String baselineDomain;
    public final List<Field> suppressKey;
    /** 0 disables suppression. */
    public final long suppressWindowNanos;
    public final String suppressDomain;

    public CompiledRule(RuleMetadata metadata, Matcher detection, RuleCounters counters,
            ExceptionList.Entry[] exceptions, RuleExtension ext, BaselineTable baseline, List<Field> suppressKey,
            long suppressWindowNanos) {
        this.metadata = metadata;
        this.detection = detection;
        this.counters = counters;
        this.exceptions = exceptions;
        this.rarity = ext.rarity();
        this.newTerms = ext.newTerms();
        this.baseline = baseline;
        this.baselineDomain = baseline == null ? null : baseline.name();
        this.suppressKey = List.copyOf(suppressKey);
        this.suppressWindowNanos = suppressWindowNanos;
        this.suppressDomain = metadata.id() + "/alert";
    }

    /** The tracker name of a rule's baseline: changes when its key fields do, so old keys age out. */
    public static String trackerName(String ruleId, RuleExtension ext) {
        if (ext.rarity() != null) {
            return ruleId + "/rarity/" + String.join(",", ext.rarity().names());
        }
        if (ext.newTerms() != null) {
            return ruleId + "/new_terms/" + String.join(",", ext.newTerms().names());
        }
        return null;
    }
}
