package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.event.EventView;

/**
 * Receives the alerts that survive exceptions, rarity/new-terms and
 * suppression. Called on the evaluating thread, synchronously: the event is a
 * flyweight valid only during the call, so write what you need before
 * returning. An exception thrown here propagates out of
 * {@link RuleEngine#evaluate}.
 */
@FunctionalInterface
public interface AlertSink {
    /**
     * @param repeatsSuppressed how many repeats of this alert key were
     *     suppressed since its previous alert (0 for the first)
     */
    void alert(RuleMetadata rule, EventView event, long repeatsSuppressed);

    /**
     * A rule with a rarity baseline matched this event (its selection, and no exception, excluded it), before
     * the baseline decides whether it is rare here: the candidates the fleet job counts over every host (the
     * seed rule's fleet-wide rarity, see the fleet module). Called before {@link #alert} for the same rule and
     * event. Nothing by default.
     */
    default void rarityCandidate(RuleMetadata rule, EventView event) {}
}
