package io.spawnwatch.rules.sigma;

import io.spawnwatch.event.EventType;
import io.spawnwatch.event.Field;
import io.spawnwatch.rules.match.Logic;
import io.spawnwatch.rules.match.Matcher;
import io.spawnwatch.rules.yaml.YamlException;
import io.spawnwatch.rules.yaml.YamlTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import io.spawnwatch.rules.yaml.MappingNode;
import io.spawnwatch.rules.yaml.Node;
import io.spawnwatch.rules.yaml.NodeTuple;
import io.spawnwatch.rules.yaml.SequenceNode;

/**
 * Compiles one Sigma search identifier: a map (fields AND-ed) or a list of
 * maps (OR-ed). Also compiles the {@code match:} block of an operator
 * exception, which uses the same syntax. Keyword searches (a list of bare
 * strings, matched against "the whole event") are refused: our events have
 * no single message text, so a field must be named.
 */
public final class SelectionCompiler {
    private final ValueCompiler values;
    private final EventType type;

    /** @param type the events the rule reads, or null for exceptions (any event) */
    public SelectionCompiler(ValueCompiler values, EventType type) {
        this.values = values;
        this.type = type;
    }

    public Matcher compile(Node node, String what) {
        if (node instanceof MappingNode map) {
            return map(map, what);
        }
        if (node instanceof SequenceNode seq) {
            if (seq.getValue().isEmpty()) {
                throw new YamlException(YamlTree.line(seq), what + " is an empty list");
            }
            List<Matcher> alternatives = new ArrayList<>();
            for (Node item : seq.getValue()) {
                if (!(item instanceof MappingNode m)) {
                    throw keywords(item, what);
                }
                alternatives.add(map(m, what));
            }
            return Logic.or(alternatives);
        }
        throw keywords(node, what);
    }

    private static YamlException keywords(Node node, String what) {
        return new YamlException(YamlTree.line(node), "unsupported feature in " + what
                + ": keyword search (values without a field name); name the field, e.g. CommandLine|contains");
    }

    private Matcher map(MappingNode map, String what) {
        Map<String, NodeTuple> entries = YamlTree.entries(map, what);
        if (entries.isEmpty()) {
            throw new YamlException(YamlTree.line(map), what + " is empty");
        }
        List<Matcher> all = new ArrayList<>();
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            int line = YamlTree.line(e.getValue().getKeyNode());
            String key = e.getKey();
            if (key.startsWith("|") || key.isEmpty()) {
                throw new YamlException(line, "unsupported feature in " + what
                        + ": keyword search with modifiers ('" + key + "'); name the field");
            }
            String[] parts = key.split("\\|", -1);
            String name = parts[0];
            Field field = FieldCatalog.resolve(name, line, type);
            Modifiers mods = Modifiers.parse(Arrays.asList(parts).subList(1, parts.length), name, line);
            all.add(values.compile(field, name, mods, e.getValue().getValueNode()));
        }
        return Logic.and(all);
    }
}
