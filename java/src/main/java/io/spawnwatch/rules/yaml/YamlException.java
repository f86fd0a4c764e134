package io.spawnwatch.rules.yaml;

/**
 * A problem at a line of a YAML file: thrown while reading one rule (or one
 * exception entry) and turned into a {@link io.spawnwatch.rules.model.RuleError} by
 * the loader, so the rest of the file and the other files still load.
 */
public final class YamlException extends RuntimeException {
    private final int line;

    /**
     * @param message one line; control characters in it (a newline inside a quoted value the message
     *     echoes, say) are written as escapes such as {@code \n}, so that the error stays one line
     */
    public YamlException(int line, String message) {
        super(oneLine(message), null, false, false);
        this.line = line;
    }

    /** {@code text} with each control character as an escape: \n, \r, \t, or \\uXXXX. */
    static String oneLine(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isISOControl(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }
}
