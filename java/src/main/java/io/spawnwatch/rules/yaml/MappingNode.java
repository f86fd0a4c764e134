package io.spawnwatch.rules.yaml;

import java.util.List;

/** A YAML mapping: its entries in source order, duplicates kept (YamlTree.entries refuses them). */
public final class MappingNode extends Node {
    private final List<NodeTuple> entries;

    MappingNode(int line, List<NodeTuple> entries) {
        super(line);
        this.entries = List.copyOf(entries);
    }

    public List<NodeTuple> getValue() {
        return entries;
    }
}
