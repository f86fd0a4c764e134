package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.event.EventView;

/**
 * The alerts one event raised, filled by {@link RuleEngine#evaluate} and read after it returns: the pipeline
 * keeps one instance and reuses it for every event, so the engine never calls back into the sensor and an event
 * that raises nothing allocates nothing. Grows (rarely) to the number of rules that fired at once.
 */
public final class RuleMatches implements AlertSink {
    /**
     * The seed rule (Unusual Process Spawned from Web Server Parent): its rarity is a fleet-wide question, so the
     * events that pass its selection, before the host's own rarity, are the fleet job's candidates.
     */
    public static final String FLEET_RULE_ID = "318e95ea-2c21-4272-b1a1-bf07308e812b";

    private RuleMetadata[] rules = new RuleMetadata[8];
    private boolean fleetCandidate;
    private long[] repeats = new long[8];
    private int size;

    /** Empties the list; call before each event. */
    public void clear() {
        java.util.Arrays.fill(rules, 0, size, null);
        size = 0;
        fleetCandidate = false;
    }

    /** Notes that the event passed the seed rule's selection (the engine's side; see {@link #fleetCandidate}). */
    @Override
    public void rarityCandidate(RuleMetadata rule, EventView event) {
        if (FLEET_RULE_ID.equals(rule.id())) {
            fleetCandidate = true;
        }
    }

    /** Whether the event passed {@link #FLEET_RULE_ID}'s selection and exceptions, whatever its rarity here. */
    public boolean fleetCandidate() {
        return fleetCandidate;
    }

    /** Appends one surviving alert (the engine's side). */
    @Override
    public void alert(RuleMetadata rule, EventView event, long repeatsSuppressed) {
        if (size == rules.length) {
            rules = java.util.Arrays.copyOf(rules, size * 2);
            repeats = java.util.Arrays.copyOf(repeats, size * 2);
        }
        rules[size] = rule;
        repeats[size] = repeatsSuppressed;
        size++;
    }

    public int size() {
        return size;
    }

    /** The rule of the i-th alert, 0 <= i < size(). */
    public RuleMetadata rule(int i) {
        java.util.Objects.checkIndex(i, size);
        return rules[i];
    }

    /** How many repeats of the i-th alert's key were suppressed since its previous alert. */
    public long repeatsSuppressed(int i) {
        java.util.Objects.checkIndex(i, size);
        return repeats[i];
    }
}
