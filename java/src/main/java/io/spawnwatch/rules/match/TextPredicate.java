package io.spawnwatch.rules.match;

/**
 * A test on one text value, already known to be present. Implementations read
 * the value with {@link CharSequence#charAt} only (the event's text is a view
 * over kernel bytes, not a String) and allocate nothing.
 */
@FunctionalInterface
public interface TextPredicate {
    boolean test(CharSequence value);
}
