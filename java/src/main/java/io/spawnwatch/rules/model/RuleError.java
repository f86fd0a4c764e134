package io.spawnwatch.rules.model;


/**
 * One problem found while loading a rule or exceptions file, in the form an
 * operator can act on: where ({@code source}, 1-based {@code line}, 0 when the
 * whole file is concerned) and what, naming the field or feature.
 */
public record RuleError(String source, int line, String message) {
    /** {@code source:line: message}, the form compilers use so editors can jump to it. */
    public String format() {
        return line > 0 ? source + ":" + line + ": " + message : source + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
