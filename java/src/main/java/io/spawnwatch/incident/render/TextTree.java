package io.spawnwatch.incident.render;

import com.fasterxml.jackson.databind.JsonNode;
import io.spawnwatch.incident.tree.Activity;
import io.spawnwatch.incident.tree.AlertMark;
import io.spawnwatch.incident.tree.IncidentTree;
import io.spawnwatch.incident.tree.ProcessNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An incident's tree for the terminal, pstree-like:
 *
 * <pre>
 * incident 3  php-fpm8.2[812]  2026-11-30 14:02:11 to 14:02:15 UTC  high  6 processes  11 alerts  1 connection
 * php-fpm8.2[812]  /usr/sbin/php-fpm8.2
 * └─ php-fpm8.2[815]
 *    ├─ 14:02:11.203  sh[901]  www-data  sh -c id
 *    │    ! high    Suspicious Command Execution via Web Server
 *    │  └─ 14:02:11.205  id[902]  www-data  id
 *    └─ 14:02:15.002  bash[960]  www-data  bash -c 'exec 3&lt;&gt;/dev/tcp/127.0.0.1/4444'
 *         14:02:15.004  connection_attempted  tcp 127.0.0.1:4444
 *           ! medium  Unusual Network Connection from Web Server
 * </pre>
 *
 * Times are UTC. With colour (ANSI SGR, for a terminal): names bold, alerts
 * red (high, critical) or yellow, activities cyan, times dim.
 */
public final class TextTree {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String DIM = "\u001b[2m";
    private static final String RED = "\u001b[1;31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String CYAN = "\u001b[36m";

    private final boolean colour;
    private final PrintWriter out;

    private TextTree(PrintWriter out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    /** Prints the incident's heading and tree; {@code colour} adds ANSI colours. */
    public static void print(IncidentTree tree, PrintWriter out, boolean colour) {
        new TextTree(out, colour).print(tree);
    }

    /** The one-line heading, as `incidents` prints it too (without colour). */
    public static String heading(JsonNode s) {
        return "incident " + s.path("id").asText() + "  " + server(s) + "  " + span(s) + "  "
                + s.path("level").asText() + "  " + plural(s.path("processes").asLong(), "process", "processes")
                + "  " + plural(s.path("alerts").asLong(), "alert", "alerts") + "  "
                + plural(s.path("connections").asLong(), "connection", "connections");
    }

    /** "php-fpm8.2[812]", or "unknown web server" when the root is not known. */
    public static String server(JsonNode s) {
        int pid = s.path("root_pid").asInt(0);
        if (pid == 0) {
            return "unknown web server";
        }
        return (s.path("root_name").isTextual() ? s.path("root_name").asText() : "?") + "[" + pid + "]";
    }

    private static String span(JsonNode s) {
        String first = s.path("first").asText();
        String last = s.path("last").asText();
        DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
        try {
            Instant a = Instant.parse(first);
            Instant b = Instant.parse(last);
            boolean sameDay = day.format(a).substring(0, 10).equals(day.format(b).substring(0, 10));
            return day.format(a) + " to " + (sameDay ? time.format(b) : day.format(b)) + " UTC";
        } catch (RuntimeException e) {
            return first + " to " + last;
        }
    }

    private static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private void print(IncidentTree tree) {
        out.println(paint(BOLD, heading(tree.summary())));
        long dropped = tree.summary().path("documents_dropped").asLong(0);
        if (dropped > 0) {
            out.println(paint(YELLOW, "(" + dropped + " documents of this incident were not kept:"
                    + " incidents.max_documents_per_incident)"));
        }
        ProcessNode root = tree.root();
        out.println(paint(BOLD, label(root)) + (root.executable() == null ? "" : "  " + root.executable()));
        printBody(root, "");
        out.flush();
    }

    private void printBody(ProcessNode node, String indent) {
        // Alerts first, right under the line they belong to; then what the
        // process did and started, in time order.
        for (AlertMark a : node.alerts()) {
            out.println(indent + (node.children().isEmpty() && node.activities().isEmpty() ? "   " : "│  ")
                    + "  " + alert(a));
        }
        List<Object> items = new ArrayList<>();
        items.addAll(node.activities());
        items.addAll(node.children());
        items.sort(Comparator.comparingLong(TextTree::time));
        for (int k = 0; k < items.size(); k++) {
            boolean last = k == items.size() - 1;
            Object item = items.get(k);
            if (item instanceof ProcessNode child) {
                out.println(indent + (last ? "└─ " : "├─ ") + line(child));
                printBody(child, indent + (last ? "   " : "│  "));
            } else {
                Activity a = (Activity) item;
                out.println(indent + (last ? "└╴ " : "├╴ ") + paint(DIM, TIME.format(instant(a.timestampNs())))
                        + "  " + paint(CYAN, a.action() + "  " + Shorten.printable(a.summary())));
                for (AlertMark m : a.alerts()) {
                    out.println(indent + (last ? "   " : "│  ") + "  " + alert(m));
                }
            }
        }
    }

    private static long time(Object item) {
        return item instanceof ProcessNode n ? n.startNs() : ((Activity) item).timestampNs();
    }

    private String line(ProcessNode n) {
        StringBuilder b = new StringBuilder();
        if (n.startNs() != 0) {
            b.append(paint(DIM, TIME.format(instant(n.startNs())))).append("  ");
        }
        b.append(paint(BOLD, label(n)));
        if (n.user() != null) {
            b.append("  ").append(n.user());
        }
        String cmd = Shorten.commandLine(n.args(), n.commandLine());
        if (!cmd.isEmpty()) {
            b.append("  ").append(cmd);
        }
        if ("exec_in_place".equals(n.role())) {
            b.append(paint(DIM, "  (exec in place)"));
        }
        return b.toString();
    }

    private static String label(ProcessNode n) {
        return Shorten.printable(n.name()) + (n.pid() == 0 ? "" : "[" + n.pid() + "]");
    }

    private String alert(AlertMark a) {
        String text = "! " + String.format("%-7s", a.level()) + " " + Shorten.printable(a.ruleName());
        return paint(a.severity() >= 73 ? RED : YELLOW, text);
    }

    private String paint(String sgr, String text) {
        return colour ? sgr + text + RESET : text;
    }

    private static Instant instant(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }
}
