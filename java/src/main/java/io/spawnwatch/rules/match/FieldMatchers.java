package io.spawnwatch.rules.match;

import io.spawnwatch.event.EventView;
import io.spawnwatch.event.Field;
import java.util.Arrays;

/**
 * Leaf matchers: one field of the event against compiled values. An absent
 * field matches nothing here (Sigma: a value can only match a value); absence
 * itself is tested with {@link Presence} ({@code |exists}, {@code null}).
 */
public final class FieldMatchers {
    private FieldMatchers() {}

    /**
     * A text field (or the decimal/text form of a number or address field);
     * for a {@link Field.Kind#LIST} field, any one item (Elastic's
     * {@code process.args in (...)}; ECS keyword arrays match per value).
     */
    public record Text(Field field, TextPredicate predicate) implements Matcher {
        @Override
        public boolean matches(EventView event) {
            if (field.kind() == Field.Kind.LIST) {
                for (int i = 0; ; i++) {
                    CharSequence item = event.item(field, i);
                    if (item == null) {
                        return false;
                    }
                    if (predicate.test(item)) {
                        return true;
                    }
                }
            }
            CharSequence value = event.text(field);
            return value != null && predicate.test(value);
        }

        @Override
        public String toString() {
            return field + ":" + predicate;
        }
    }

    /** Present and different from every listed text ({@code |neq}); for a list, no item equal to any. */
    public record TextNotEqual(Field field, TextPredicate anyOfValues) implements Matcher {
        @Override
        public boolean matches(EventView event) {
            if (field.kind() == Field.Kind.LIST) {
                CharSequence item = event.item(field, 0);
                for (int i = 1; item != null; i++) {
                    if (anyOfValues.test(item)) {
                        return false;
                    }
                    item = event.item(field, i);
                }
                return event.item(field, 0) != null;
            }
            CharSequence value = event.text(field);
            return value != null && !anyOfValues.test(value);
        }
    }

    /** How a number is compared with a rule's value. */
    public enum Comparison {
        EQ,
        NEQ,
        LT,
        LTE,
        GT,
        GTE;

        boolean test(long actual, long expected) {
            return switch (this) {
                case EQ -> actual == expected;
                case NEQ -> actual != expected;
                case LT -> actual < expected;
                case LTE -> actual <= expected;
                case GT -> actual > expected;
                case GTE -> actual >= expected;
            };
        }
    }

    /** A numeric field compared with one value. */
    public record Number(Field field, Comparison op, long value) implements Matcher {
        @Override
        public boolean matches(EventView event) {
            long actual = event.number(field);
            return actual != EventView.ABSENT && op.test(actual, value);
        }

        @Override
        public String toString() {
            return field + " " + op + " " + value;
        }
    }

    /** A numeric field equal to one of a sorted set of values (a port list). */
    public record NumberIn(Field field, long[] sorted) implements Matcher {
        public NumberIn {
            sorted = sorted.clone();
            Arrays.sort(sorted);
        }

        @Override
        public boolean matches(EventView event) {
            long actual = event.number(field);
            return actual != EventView.ABSENT && Arrays.binarySearch(sorted, actual) >= 0;
        }

        @Override
        public String toString() {
            return field + " in " + Arrays.toString(sorted);
        }
    }

    /** Present and different from every value of a sorted set ({@code |neq} on numbers). */
    public record NumberNotIn(Field field, long[] sorted) implements Matcher {
        public NumberNotIn {
            sorted = sorted.clone();
            Arrays.sort(sorted);
        }

        @Override
        public boolean matches(EventView event) {
            long actual = event.number(field);
            return actual != EventView.ABSENT && Arrays.binarySearch(sorted, actual) < 0;
        }
    }

    /** Whether the event carries the field at all. */
    public record Presence(Field field, boolean mustExist) implements Matcher {
        @Override
        public boolean matches(EventView event) {
            boolean present = switch (field.kind()) {
                case TEXT -> event.text(field) != null;
                case NUMBER -> event.number(field) != EventView.ABSENT;
                case ADDRESS -> event.text(field) != null;
                case LIST -> event.item(field, 0) != null;
            };
            return present == mustExist;
        }
    }
}
