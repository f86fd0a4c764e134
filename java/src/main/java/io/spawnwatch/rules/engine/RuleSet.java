package io.spawnwatch.rules.engine;

import io.spawnwatch.event.EventType;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.exceptions.ExceptionList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, compiled set of rules, pre-split by event type so an exec
 * event never looks at a network rule. The engine swaps a whole set in one
 * volatile write: an event is evaluated either by the old set or the new.
 */
public final class RuleSet {
    private final CompiledRule[][] byType;
    private final Map<String, CompiledRule> byId;
    private final ExceptionList exceptions;
    private final DetectionConfig config;

    public RuleSet(List<CompiledRule> rules, ExceptionList exceptions, DetectionConfig config) {
        this.exceptions = exceptions;
        this.config = config;
        this.byType = new CompiledRule[EventType.values().length][];
        for (EventType t : EventType.values()) {
            List<CompiledRule> of = new ArrayList<>();
            for (CompiledRule r : rules) {
                if (r.metadata.eventType() == t) {
                    of.add(r);
                }
            }
            byType[t.ordinal()] = of.toArray(CompiledRule[]::new);
        }
        Map<String, CompiledRule> ids = new LinkedHashMap<>();
        for (CompiledRule r : rules) {
            ids.put(r.metadata.id(), r);
        }
        this.byId = java.util.Collections.unmodifiableMap(ids);
    }

    /** The rules that read this type of event; the same array every call. */
    public CompiledRule[] forType(EventType type) {
        return byType[type.ordinal()];
    }

    public Map<String, CompiledRule> byId() {
        return byId;
    }

    public ExceptionList exceptions() {
        return exceptions;
    }

    public DetectionConfig config() {
        return config;
    }
}
