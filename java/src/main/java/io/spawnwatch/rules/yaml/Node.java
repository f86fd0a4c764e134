package io.spawnwatch.rules.yaml;

/** A YAML node with the 1-based line it starts on, as {@link YamlTree} reads it. */
public abstract sealed class Node permits MappingNode, SequenceNode, ScalarNode {
    private final int line;

    Node(int line) {
        this.line = line;
    }

    /** 1-based line of the node's first token. */
    public int line() {
        return line;
    }
}
