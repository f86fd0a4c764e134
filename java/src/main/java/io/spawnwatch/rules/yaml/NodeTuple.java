package io.spawnwatch.rules.yaml;

/** One entry of a mapping. */
public record NodeTuple(Node getKeyNode, Node getValueNode) {}
