package io.spawnwatch.rules.yaml;

import java.util.List;

/** A YAML list. */
public final class SequenceNode extends Node {
    private final List<Node> items;

    SequenceNode(int line, List<Node> items) {
        super(line);
        this.items = List.copyOf(items);
    }

    public List<Node> getValue() {
        return items;
    }
}
