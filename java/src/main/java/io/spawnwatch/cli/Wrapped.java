package io.spawnwatch.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A label and its text, wrapped to a terminal of {@link #WIDTH} columns: the label in a column of its own,
 * the text beside it and on continuation lines indented under it. For what a table cannot show in 100
 * columns (a hook's counters, a fallback's reason).
 *
 * <pre>
 * lineage       added=4 add_failed=0 servers_recognised=0 candidates_ignored=4
 *               process_table_evictions=0 process_table_stale=0
 * </pre>
 */
final class Wrapped {
    /** Columns the CLI's plain-text output keeps within. */
    static final int WIDTH = 100;

    private final PrintWriter out;
    private final int labelWidth;

    /**
     * @param labelWidth the label column's width; a longer label gets a line of its own
     */
    Wrapped(PrintWriter out, int labelWidth) {
        this.out = out;
        this.labelWidth = labelWidth;
    }

    /** The label column wide enough for these labels, at most {@code max}. */
    static int labelWidth(Iterable<String> labels, int max) {
        int w = 0;
        for (String l : labels) {
            w = Math.max(w, l.length());
        }
        return Math.min(w, max);
    }

    /** Prints {@code label}, then {@code words} separated by spaces and wrapped; a word never splits. */
    void print(String label, List<String> words) {
        String indent = " ".repeat(labelWidth + 2);
        StringBuilder line = new StringBuilder(label);
        if (label.length() > labelWidth) {
            out.println(label);
            line.setLength(0);
            line.append(indent);
        } else {
            line.append(" ".repeat(labelWidth - label.length() + 2));
        }
        boolean empty = true;
        for (String word : words) {
            if (!empty && line.length() + 1 + word.length() > WIDTH) {
                out.println(line.toString().stripTrailing());
                line.setLength(0);
                line.append(indent);
                empty = true;
            }
            if (!empty) {
                line.append(' ');
            }
            line.append(word);
            empty = false;
        }
        out.println(line.toString().stripTrailing());
    }

    /**
     * The words of {@code text} for {@link #print}: split at spaces, and a word too long for one line split
     * after its commas ("sys_exit_{rename,renameat,...}").
     */
    static List<String> words(String text, int room) {
        List<String> words = new ArrayList<>();
        for (String w : text.split(" ")) {
            if (w.isEmpty()) {
                continue;
            }
            while (w.length() > room && w.lastIndexOf(',', room - 1) > 0) {
                int cut = w.lastIndexOf(',', room - 1) + 1;
                words.add(w.substring(0, cut));
                w = w.substring(cut);
            }
            words.add(w);
        }
        return words;
    }
}
