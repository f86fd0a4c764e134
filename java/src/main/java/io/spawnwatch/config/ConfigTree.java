package io.spawnwatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds and resets values of a configuration tree by key path ("outputs[0].sasl.username"). */
final class ConfigTree {
    private static final Pattern PART = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)\\]");

    private ConfigTree() {}

    /**
     * Puts the default's value at {@code key} in {@code tree}, or removes the key where the defaults have
     * none (its class's own default then applies).
     *
     * @param key a path that ends in a field name
     * @return false when the key's parent is not in the tree, or the value is already the default
     */
    static boolean reset(ObjectNode tree, ObjectNode defaults, String key) {
        List<Object> parts = parts(key);
        if (parts.isEmpty() || !(parts.getLast() instanceof String field)) {
            return false;
        }
        List<Object> parentPath = parts.subList(0, parts.size() - 1);
        if (!(find(tree, parentPath) instanceof ObjectNode parent)) {
            return false;
        }
        JsonNode fallback = find(defaults, parts);
        JsonNode current = parent.get(field);
        if (fallback == null) {
            return parent.remove(field) != null;
        }
        if (fallback.equals(current)) {
            return false;
        }
        parent.set(field, fallback.deepCopy());
        return true;
    }

    private static JsonNode find(JsonNode root, List<Object> parts) {
        JsonNode node = root;
        for (Object part : parts) {
            if (node == null) {
                return null;
            }
            node = part instanceof String name ? (node instanceof ObjectNode o ? o.get(name) : null)
                    : (node instanceof ArrayNode a ? a.get((Integer) part) : null);
        }
        return node;
    }

    /** "outputs[0].tls" as ["outputs", 0, "tls"]. */
    private static List<Object> parts(String key) {
        List<Object> parts = new ArrayList<>();
        Matcher m = PART.matcher(key);
        while (m.find()) {
            parts.add(m.group(1) != null ? m.group(1) : (Object) Integer.parseInt(m.group(2)));
        }
        return parts;
    }
}
