package io.spawnwatch.output;

/** What a {@link Document} is; a {@link Sink} says which kinds it wants. */
public enum DocumentKind {
    /** Every event the kernel sent up (ECS {@code event.kind: "event"}), written with {@code run --events}. */
    EVENT,
    /** An event a rule matched, with {@code rule.*} and {@code threat.*} ({@code event.kind: "alert"}). */
    ALERT,
    /** The seed rule's candidates before rarity is applied, for the fleet job's fleet-wide rarity (issue 14). */
    FLEET_CANDIDATE
}
