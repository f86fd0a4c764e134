package io.spawnwatch.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code events --filter}: conditions on ECS dotted fields, all of which must
 * hold.
 *
 * <pre>
 * process.name=sh              equal (numbers and booleans compare as their JSON text)
 * event.category=network       an array field matches when any element does
 * user.name!=root              not equal (also true when the field is absent)
 * process.command_line~/tmp/   contains
 * </pre>
 *
 * A field name may be nested ({"process":{"name":..}}) or flat ({"process.name":..}).
 */
public final class EventFilter implements Predicate<JsonNode> {
    private static final Pattern CONDITION = Pattern.compile("([A-Za-z0-9_@.\\-]+)(!=|=|~)(.*)", Pattern.DOTALL);

    private enum Op { EQUALS, NOT_EQUALS, CONTAINS }

    private record Condition(String field, Op op, String value) {}

    private final List<Condition> conditions;

    private EventFilter(List<Condition> conditions) {
        this.conditions = conditions;
    }

    /** Matches everything. */
    public static EventFilter none() {
        return new EventFilter(List.of());
    }

    /** @throws IllegalArgumentException naming the condition that does not parse */
    public static EventFilter parse(List<String> conditions) {
        List<Condition> parsed = new ArrayList<>();
        for (String c : conditions) {
            Matcher m = CONDITION.matcher(c);
            if (!m.matches() || m.group(1).startsWith(".") || m.group(1).endsWith(".")) {
                throw new IllegalArgumentException("filter '" + c + "' is not FIELD=VALUE, FIELD!=VALUE or"
                        + " FIELD~TEXT with an ECS field name, e.g. process.name=sh");
            }
            Op op = switch (m.group(2)) {
                case "=" -> Op.EQUALS;
                case "!=" -> Op.NOT_EQUALS;
                default -> Op.CONTAINS;
            };
            parsed.add(new Condition(m.group(1), op, m.group(3)));
        }
        return new EventFilter(List.copyOf(parsed));
    }

    public boolean isEmpty() {
        return conditions.isEmpty();
    }

    @Override
    public boolean test(JsonNode document) {
        for (Condition c : conditions) {
            List<JsonNode> values = new ArrayList<>();
            collect(document, c.field(), values);
            boolean any = false;
            for (JsonNode v : values) {
                String text = v.isValueNode() ? v.asText() : v.toString();
                if (c.op() == Op.CONTAINS ? text.contains(c.value()) : text.equals(c.value())) {
                    any = true;
                    break;
                }
            }
            if (c.op() == Op.NOT_EQUALS ? any : !any) {
                return false;
            }
        }
        return true;
    }

    /** Every value at a dotted path, with flat or nested keys, through arrays. */
    private static void collect(JsonNode node, String path, List<JsonNode> out) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                collect(element, path, out);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        JsonNode direct = node.get(path);
        if (direct != null) {
            if (direct.isArray()) {
                direct.forEach(out::add);
            } else {
                out.add(direct);
            }
        }
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            JsonNode child = node.get(path.substring(0, dot));
            if (child != null) {
                collect(child, path.substring(dot + 1), out);
            }
        }
    }
}
