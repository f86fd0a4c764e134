package io.spawnwatch.rules.match;

import io.spawnwatch.event.EventView;
import java.util.List;

/**
 * AND, OR and NOT over matchers: the compiled form of a Sigma condition.
 * Matchers have no side effects, so the operands of AND and OR are tested
 * cheapest first ({@link MatchCost}), whatever order the rule wrote them in:
 * the answer is the same, and the operand that settles it is usually reached
 * sooner.
 */
public final class Logic {
    private Logic() {}

    public static Matcher and(List<Matcher> parts) {
        if (parts.isEmpty()) {
            return Matcher.ALWAYS;
        }
        return parts.size() == 1 ? parts.getFirst() : new And(cheapestFirst(parts));
    }

    public static Matcher or(List<Matcher> parts) {
        if (parts.isEmpty()) {
            return Matcher.NEVER;
        }
        return parts.size() == 1 ? parts.getFirst() : new Or(cheapestFirst(parts));
    }

    private static Matcher[] cheapestFirst(List<Matcher> parts) {
        Matcher[] sorted = parts.toArray(Matcher[]::new);
        java.util.Arrays.sort(sorted, java.util.Comparator.comparingInt(MatchCost::of)); // stable
        return sorted;
    }

    public static Matcher not(Matcher inner) {
        return inner instanceof Not n ? n.inner() : new Not(inner);
    }

    public record And(Matcher[] parts) implements Matcher {
        @Override
        public boolean matches(EventView event) {
            for (Matcher m : parts) {
                if (!m.matches(event)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "and" + List.of(parts);
        }
    }

    public record Or(Matcher[] parts) implements Matcher {
        @Override
        public boolean matches(EventView event) {
            for (Matcher m : parts) {
                if (m.matches(event)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return "or" + List.of(parts);
        }
    }

    public record Not(Matcher inner) implements Matcher {
        @Override
        public boolean matches(EventView event) {
            return !inner.matches(event);
        }

        @Override
        public String toString() {
            return "not(" + inner + ")";
        }
    }
}
