package io.spawnwatch.output;

/** What a document is. */
public enum DocumentKind {
    EVENT,
    ALERT,
    /** The seed rule's candidates before rarity, for the fleet job (issue 14). */
    FLEET_CANDIDATE
}
