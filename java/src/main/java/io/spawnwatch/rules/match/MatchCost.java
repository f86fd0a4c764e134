package io.spawnwatch.rules.match;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.match.LiteralPredicates.Literal;
import io.spawnwatch.rules.match.LiteralPredicates.Shape;

/**
 * A rough, static estimate of what testing a matcher costs, to order the
 * operands of AND and OR cheapest first: both short-circuit, and in the
 * shipped rules the operand that decides is often a cheap one written last
 * ("1 of selection_* and 1 of sub_processes_*", where the selections scan the
 * parent's command line and the sub-process test is a hash look-up of the
 * name). Units are arbitrary; only the order matters.
 *
 * <p>A test that reads a fixed number of chars (equals, a prefix or suffix
 * set, a hash look-up) costs the same whatever the value; a scan (contains,
 * an automaton, a wildcard pattern, a regex) costs in proportion to the
 * value's usual length, which is short for names, longer for paths and
 * longest for command lines.
 */
final class MatchCost {
    private MatchCost() {}

    static int of(Matcher m) {
        return switch (m) {
            case Logic.And a -> sum(a.parts());
            case Logic.Or o -> sum(o.parts());
            case Logic.Not n -> of(n.inner());
            case FieldMatchers.Number x -> 1;
            case FieldMatchers.NumberIn x -> 1;
            case FieldMatchers.NumberNotIn x -> 1;
            case FieldMatchers.Presence p -> 2;
            case CidrSet c -> 3;
            case FieldMatchers.Text t -> 1 + of(t.predicate(), length(t.field()));
            case FieldMatchers.TextNotEqual t -> 1 + of(t.anyOfValues(), length(t.field()));
            default -> 50; // unknown: late
        };
    }

    private static int sum(Matcher[] parts) {
        int total = 0;
        for (Matcher p : parts) {
            total = Math.min(10_000, total + of(p));
        }
        return total;
    }

    /** Cost of a predicate over a value of about {@code length} chars. */
    static int of(TextPredicate p, int length) {
        return switch (p) {
            case Literal l -> l.shape() == Shape.CONTAINS ? length : 1;
            case ExactSet s -> 2;
            case AffixAnyOf a -> 2;
            case ContainsAnyOf c -> length;
            case GlobPredicate g -> 2 * length;
            case TextPredicates.GuardedAny g -> length;
            case RegexPredicate r -> 10 * length;
            case TextPredicates.AnyText a -> sum(a.parts(), length);
            case TextPredicates.AllText a -> sum(a.parts(), length);
            default -> 10 * length;
        };
    }

    private static int sum(TextPredicate[] parts, int length) {
        int total = 0;
        for (TextPredicate p : parts) {
            total = Math.min(10_000, total + of(p, length));
        }
        return total;
    }

    /** The usual length of a field's text, in chars. */
    static int length(Field field) {
        return switch (field) {
            case COMMAND_LINE, PARENT_COMMAND_LINE, LINEAGE_CHAIN, ARGS, PARENT_ARGS -> 16;
            case IMAGE, PARENT_IMAGE, CURRENT_DIRECTORY, PARENT_CURRENT_DIRECTORY, LINEAGE_ROOT_IMAGE,
                    CONTAINER_ID -> 6;
            default -> 2; // names, numbers as text, addresses
        };
    }
}
