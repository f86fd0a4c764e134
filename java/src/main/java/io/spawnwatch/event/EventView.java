package io.spawnwatch.event;

/**
 * One decoded and enriched event, as the detection rules see it.
 *
 * <p>Implementations are flyweights reused from one event to the next: a value
 * returned here is valid only until the next event is wrapped, and must not be
 * kept. Text comes back as a {@link CharSequence} view over the record's bytes
 * (or over an enrichment cache), so that evaluating rules that do not match
 * allocates nothing. Absent values are {@code null} (text), {@link #ABSENT}
 * (numbers) or 0 (addresses).
 */
public interface EventView {
    /** The value {@link #number(Field)} returns for a field the event does not carry. */
    long ABSENT = Long.MIN_VALUE;

    /** Whether this is a process start (exec) or a network connection attempt. */
    EventType type();

    /** Time of the event in the kernel, nanoseconds since the Unix epoch. */
    long timestampNanos();

    /** The field as text, or {@code null} when the event does not carry it. */
    CharSequence text(Field field);

    /**
     * One item of a {@link Field.Kind#LIST} field ({@code index} from 0), or
     * {@code null} past the last one or when the event does not carry the
     * field. The view is valid until the next call for the same field.
     * Views that carry no list fields (test stubs) may keep this default.
     */
    default CharSequence item(Field field, int index) {
        return null;
    }

    /** A numeric field, or {@link #ABSENT}. */
    long number(Field field);

    /**
     * Copies an address field into {@code out} (at least 16 bytes): 4 bytes for
     * IPv4, 16 for IPv6, network order. Returns 4, 16, or 0 when absent.
     */
    int address(Field field, byte[] out);
}
