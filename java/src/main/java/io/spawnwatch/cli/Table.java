package io.spawnwatch.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain text table: upper-case headers, left-aligned columns two spaces apart, no trailing blanks. */
final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this(Arrays.asList(headers));
    }

    Table(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(c == null ? "-" : c.toString());
        }
        rows.add(r);
        return this;
    }

    Table row(List<String> cells) {
        return row(cells.toArray());
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        print(out, true);
    }

    /** Without the header line: for key/value blocks. */
    void printBody(PrintWriter out) {
        print(out, false);
    }

    private void print(PrintWriter out, boolean withHeaders) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], i < r.size() ? r.get(i).length() : 0);
            }
        }
        if (withHeaders) {
            printRow(out, headers, width);
        }
        for (List<String> r : rows) {
            printRow(out, r, width);
        }
    }

    private static void printRow(PrintWriter out, List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            b.append(c);
            if (i < width.length - 1) {
                b.append(" ".repeat(width[i] - c.length() + 2));
            }
        }
        out.println(b.toString().stripTrailing());
    }
}
