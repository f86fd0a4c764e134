package io.spawnwatch.incident.render;

import java.util.List;

/**
 * Command lines shortened for a tree line: each argument to at most
 * {@link #MAX_ARG} characters, the whole to at most {@link #MAX_LINE}, cut in
 * the middle with an ellipsis so that the program and the end (often the
 * target: a file, a host) both stay visible. Control characters become '?'
 * so that a command line cannot move the terminal's cursor.
 */
public final class Shorten {
    /** Longest argument shown whole. */
    public static final int MAX_ARG = 48;
    /** Longest command line shown whole. */
    public static final int MAX_LINE = 110;

    private Shorten() {}

    /** The arguments (or {@code fallback} when there are none), shortened. */
    public static String commandLine(List<String> args, String fallback) {
        if (args.isEmpty()) {
            return fallback == null ? "" : middle(printable(fallback), MAX_LINE);
        }
        StringBuilder b = new StringBuilder();
        for (String a : args) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            String p = printable(a);
            b.append(p.isEmpty() || p.contains(" ") ? "'" + middle(p, MAX_ARG) + "'" : middle(p, MAX_ARG));
        }
        return middle(b.toString(), MAX_LINE);
    }

    /** {@code s} cut to at most {@code max} characters, the middle replaced by "…". */
    public static String middle(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int head = (max - 1) * 2 / 3;
        int tail = max - 1 - head;
        return s.substring(0, head) + "…" + s.substring(s.length() - tail);
    }

    /** Control characters (ESC, CR, ...) as '?'. */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '?' : c);
        }
        return b.toString();
    }
}
