package io.spawnwatch.rules.yaml;

/**
 * A problem at a line of a YAML file: thrown while reading one rule (or one
 * exception entry) and turned into a {@link io.spawnwatch.rules.model.RuleError} by
 * the loader, so the rest of the file and the other files still load.
 */
public final class YamlException extends RuntimeException {
    private final int line;

    public YamlException(int line, String message) {
        super(message, null, false, false);
        this.line = line;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }
}
