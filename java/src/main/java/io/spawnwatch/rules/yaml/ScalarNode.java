package io.spawnwatch.rules.yaml;

/**
 * A YAML scalar as its source text: YAML 1.1 would turn {@code on}/{@code no} into booleans, Sigma means the
 * strings. {@link #isNull()} for a plain {@code null}, {@code ~} or an empty value.
 */
public final class ScalarNode extends Node {
    private final String text;
    private final boolean isNull;

    ScalarNode(int line, String text, boolean isNull) {
        super(line);
        this.text = text;
        this.isNull = isNull;
    }

    public String getValue() {
        return text;
    }

    public boolean isNull() {
        return isNull;
    }
}
