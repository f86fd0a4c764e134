package io.spawnwatch.rules.match;

import io.spawnwatch.event.EventView;

/**
 * A compiled predicate over one event: a Sigma selection, a condition, or an
 * operator exception.
 *
 * <p>Implementations are immutable and must not allocate in {@link #matches}:
 * the engine runs every enabled rule over every event, and an event that
 * matches no rule must cost no garbage (see the allocation test).
 */
@FunctionalInterface
public interface Matcher {
    boolean matches(EventView event);

    /** Matches every event; the identity of AND. */
    Matcher ALWAYS = event -> true;

    /** Matches no event; the identity of OR. */
    Matcher NEVER = event -> false;
}
