package io.spawnwatch.incident.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spawnwatch.incident.tree.Activity;
import io.spawnwatch.incident.tree.AlertMark;
import io.spawnwatch.incident.tree.IncidentTree;
import io.spawnwatch.incident.tree.ProcessNode;
import io.spawnwatch.incident.tree.TreeBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.owasp.encoder.Encode;

/**
 * An incident as one self-contained HTML page: the process tree drawn as
 * inline SVG, a timeline, the alerts with their rule descriptions and ATT&amp;CK
 * tactics and techniques, and every ECS document behind a click (a
 * {@code <details>} element, reached from the tree's nodes and the timeline's
 * marks by anchor links).
 *
 * <p>No script, no external asset, no network: a Content-Security-Policy of
 * {@code default-src 'none'} with inline styles only says so to the browser.
 * Every value from a document (all of them attacker-influenced: command
 * lines, paths, names) goes through the OWASP Java Encoder for the context it
 * lands in, text or attribute.
 *
 * <p>Element ids a test or a reader can rely on: {@code tree} (the SVG),
 * {@code svg-KEY} (a node of the tree, KEY as in {@link ProcessNode#key()}),
 * {@code node-KEY} (a process's section), {@code doc-N} (document N),
 * {@code timeline}, {@code alerts}.
 */
public final class HtmlPage {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final int ROW = 46;
    private static final int INDENT = 34;
    /** Width of one character of the tree's 12px monospace font (DejaVu Sans Mono: 7.22 px), rounded up. */
    private static final double CHAR = 7.5;
    private static final int BOX_MIN = 150;

    private final IncidentTree tree;
    private final StringBuilder h = new StringBuilder(64 * 1024);

    private HtmlPage(IncidentTree tree) {
        this.tree = tree;
    }

    /** The whole page, UTF-8 text. */
    public static String render(IncidentTree tree) {
        return new HtmlPage(tree).page();
    }

    private String page() {
        JsonNode s = tree.summary();
        String title = "spawnwatch incident " + s.path("id").asText() + ": " + TextTree.server(s);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(text(title)).append("</title>\n<style>").append(STYLE)
                .append("</style>\n</head>\n<body>\n");
        header(s);
        treeSvg();
        timeline();
        alerts();
        processes();
        h.append("<footer>spawnwatch: every value above comes from the sensor's ECS documents; times are UTC.</footer>\n")
                .append("</body>\n</html>\n");
        return h.toString();
    }

    private void header(JsonNode s) {
        h.append("<header>\n<h1>Incident ").append(text(s.path("id").asText())).append(": ")
                .append(text(TextTree.server(s))).append("</h1>\n<p class=\"facts\">");
        fact("web server", s.path("root_executable").isTextual() ? s.path("root_executable").asText() : "unknown");
        fact("first", s.path("first").asText());
        fact("last", s.path("last").asText());
        h.append("<span class=\"fact level-").append(attr(s.path("level").asText())).append("\">")
                .append(text(s.path("level").asText())).append("</span>");
        fact("processes", s.path("processes").asText());
        fact("alerts", s.path("alerts").asText());
        fact("connections", s.path("connections").asText());
        if (s.path("documents_dropped").asLong(0) > 0) {
            fact("documents not kept (incident full)", s.path("documents_dropped").asText());
        }
        h.append("</p>\n</header>\n");
    }

    private void fact(String name, String value) {
        h.append("<span class=\"fact\"><b>").append(text(name)).append("</b> ").append(text(value)).append("</span>");
    }

    /** One row per process and per activity, depth first, with elbow lines from parent to child. */
    private void treeSvg() {
        List<Row> rows = new ArrayList<>();
        layout(tree.root(), 0, -1, rows);
        int width = 0;
        for (Row r : rows) {
            width = Math.max(width, r.x + r.width + 40 + (int) Math.ceil(CHAR * r.note.length()));
        }
        int height = rows.size() * ROW + 16;
        h.append("<section>\n<h2>Process tree</h2>\n<div class=\"scroll\">\n<svg id=\"tree\" xmlns=\"http://www.w3.org/2000/svg\" ")
                .append("width=\"").append(width).append("\" height=\"").append(height).append("\" role=\"img\" ")
                .append("aria-label=\"process tree\">\n");
        for (Row r : rows) {
            if (r.parent >= 0) {
                Row p = rows.get(r.parent);
                int px = p.x + 12;
                int py = p.y + 34;
                h.append("<path class=\"edge\" d=\"M").append(px).append(' ').append(py).append(" V")
                        .append(r.y + 17).append(" H").append(r.x).append("\"/>\n");
            }
        }
        for (Row r : rows) {
            String cls = r.activity ? "activity" : "node";
            h.append("<a href=\"#").append(attr(r.target)).append("\"><g class=\"").append(cls)
                    .append(r.severity >= 73 ? " sev-high" : r.severity > 0 ? " sev-medium" : "")
                    .append("\" id=\"").append(attr(r.id)).append("\">")
                    .append("<title>").append(text(r.tooltip)).append("</title>")
                    .append("<rect x=\"").append(r.x).append("\" y=\"").append(r.y).append("\" width=\"")
                    .append(r.width).append("\" height=\"34\" rx=\"6\"/>")
                    .append("<text x=\"").append(r.x + 8).append("\" y=\"").append(r.y + 14).append("\" class=\"l1\">")
                    .append(text(r.line1)).append("</text>")
                    .append("<text x=\"").append(r.x + 8).append("\" y=\"").append(r.y + 28).append("\" class=\"l2\">")
                    .append(text(r.line2)).append("</text>");
            if (r.alerts > 0) {
                int bx = r.x + r.width;
                h.append("<circle class=\"badge\" cx=\"").append(bx).append("\" cy=\"").append(r.y + 2)
                        .append("\" r=\"10\"/><text class=\"badge-n\" x=\"").append(bx).append("\" y=\"")
                        .append(r.y + 6).append("\">").append(r.alerts).append("</text>")
                        .append("<text class=\"note\" x=\"").append(bx + 16).append("\" y=\"").append(r.y + 22)
                        .append("\">").append(text(r.note)).append("</text>");
            }
            h.append("</g></a>\n");
        }
        h.append("</svg>\n</div>\n</section>\n");
    }

    /** A drawn row of the tree. */
    private record Row(String id, String target, int x, int y, int width, int parent, boolean activity,
            String line1, String line2, String tooltip, int alerts, int severity, String note) {}

    private void layout(ProcessNode n, int depth, int parent, List<Row> rows) {
        String line1 = n.name() + (n.pid() == 0 ? "" : "[" + n.pid() + "]") + (n.user() == null ? "" : "  " + n.user())
                + (n.startNs() == 0 ? "" : "  " + TIME.format(instant(n.startNs())));
        String line2 = n.args().isEmpty() && n.commandLine() == null
                ? (n.executable() == null ? roleText(n) : n.executable())
                : Shorten.middle(Shorten.commandLine(n.args(), n.commandLine()), 64);
        int alerts = n.alerts().size();
        int severity = 0;
        for (AlertMark a : n.alerts()) {
            severity = Math.max(severity, a.severity());
        }
        int me = rows.size();
        rows.add(new Row("svg-" + n.key(), "node-" + n.key(), 8 + depth * INDENT, 8 + me * ROW,
                boxWidth(line1, line2), parent, false, line1, line2, tooltip(n), alerts, severity,
                notes(n.alerts())));
        List<Object> items = new ArrayList<>();
        items.addAll(n.activities());
        items.addAll(n.children());
        items.sort(Comparator.comparingLong(o -> o instanceof ProcessNode c ? c.startNs()
                : ((Activity) o).timestampNs()));
        for (Object o : items) {
            if (o instanceof ProcessNode c) {
                layout(c, depth + 1, me, rows);
            } else {
                Activity a = (Activity) o;
                int sev = 0;
                for (AlertMark m : a.alerts()) {
                    sev = Math.max(sev, m.severity());
                }
                String l1 = a.action() + "  " + TIME.format(instant(a.timestampNs()));
                String l2 = Shorten.middle(a.summary(), 64);
                int index = rows.size();
                rows.add(new Row("svg-act-" + a.document(), "doc-" + a.document(), 8 + (depth + 1) * INDENT,
                        8 + index * ROW, boxWidth(l1, l2), me, true, l1, l2, a.category() + " " + a.summary(),
                        a.alerts().size(), sev, notes(a.alerts())));
            }
        }
    }

    private static String roleText(ProcessNode n) {
        return switch (n.role()) {
            case "web_server" -> "web server";
            case "parent" -> "known as a parent";
            default -> n.role();
        };
    }

    private static int boxWidth(String a, String b) {
        return Math.max(BOX_MIN, (int) Math.ceil(CHAR * Math.max(a.length(), b.length())) + 18);
    }

    private static String notes(List<AlertMark> alerts) {
        if (alerts.isEmpty()) {
            return "";
        }
        String first = alerts.getFirst().level() + ": " + alerts.getFirst().ruleName();
        return alerts.size() == 1 ? first : first + " (+" + (alerts.size() - 1) + " more)";
    }

    private static String tooltip(ProcessNode n) {
        StringBuilder b = new StringBuilder(n.name());
        if (n.executable() != null) {
            b.append('\n').append(n.executable());
        }
        if (n.commandLine() != null) {
            b.append('\n').append(n.commandLine());
        }
        for (AlertMark a : n.alerts()) {
            b.append("\n! ").append(a.level()).append(' ').append(a.ruleName());
        }
        return b.toString();
    }

    /** Every document as a mark on one time axis: execs, activities, alerts on their own lanes. */
    private void timeline() {
        List<JsonNode> docs = tree.documents();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (JsonNode d : docs) {
            long t = TreeBuilder.timestampNs(d);
            if (t != 0) {
                min = Math.min(min, t);
                max = Math.max(max, t);
            }
        }
        h.append("<section>\n<h2>Timeline</h2>\n");
        if (min == Long.MAX_VALUE) {
            h.append("<p>No documents.</p>\n</section>\n");
            return;
        }
        int width = 1000;
        int left = 90;
        int plot = width - left - 20;
        double span = Math.max(1, max - min);
        h.append("<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"130\" role=\"img\" aria-label=\"timeline\">\n");
        String[] lanes = {"exec", "activity", "alert"};
        for (int k = 0; k < lanes.length; k++) {
            int y = 22 + k * 30;
            h.append("<text class=\"lane\" x=\"4\" y=\"").append(y + 4).append("\">").append(lanes[k])
                    .append("</text><line class=\"axis\" x1=\"").append(left).append("\" x2=\"").append(left + plot)
                    .append("\" y1=\"").append(y).append("\" y2=\"").append(y).append("\"/>\n");
        }
        for (int i = 0; i < docs.size(); i++) {
            JsonNode d = docs.get(i);
            long t = TreeBuilder.timestampNs(d);
            if (t == 0) {
                continue;
            }
            boolean alert = "alert".equals(d.path("event").path("kind").asText());
            boolean exec = "process".equals(d.path("event").path("category").path(0).asText("process"));
            int lane = alert ? 2 : exec ? 0 : 1;
            int x = left + (int) Math.round((t - min) / span * plot);
            int y = 22 + lane * 30;
            String label = TIME.format(instant(t)) + " " + d.path("process").path("name").asText("?") + " "
                    + (alert ? d.path("rule").path("name").asText("") : d.path("event").path("action").asText(""));
            h.append("<a href=\"#doc-").append(i).append("\"><circle class=\"mark ").append(lanes[lane])
                    .append("\" cx=\"").append(x).append("\" cy=\"").append(y).append("\" r=\"6\"><title>")
                    .append(text(label)).append("</title></circle></a>\n");
        }
        h.append("<text class=\"lane\" x=\"").append(left).append("\" y=\"118\">")
                .append(text(DAY_TIME.format(instant(min)))).append("</text><text class=\"lane end\" x=\"")
                .append(left + plot).append("\" y=\"118\">").append(text(DAY_TIME.format(instant(max))))
                .append("</text>\n</svg>\n</section>\n");
    }

    private void alerts() {
        h.append("<section id=\"alerts\">\n<h2>Alerts</h2>\n<table>\n<thead><tr><th>time</th><th>process</th>")
                .append("<th>level</th><th>rule</th><th>ATT&amp;CK</th></tr></thead>\n<tbody>\n");
        for (AlertMark a : tree.alerts()) {
            ProcessNode n = tree.node(a.node());
            h.append("<tr><td><a href=\"#doc-").append(a.document()).append("\">")
                    .append(text(TIME.format(instant(a.timestampNs())))).append("</a></td><td><a href=\"#node-")
                    .append(attr(a.node())).append("\">").append(text(n == null ? "?" : n.name() + "[" + n.pid() + "]"))
                    .append("</a></td><td class=\"level-").append(attr(a.level())).append("\">").append(text(a.level()))
                    .append("</td><td><b>").append(text(a.ruleName())).append("</b>");
            if (a.description() != null) {
                h.append("<div class=\"desc\">").append(text(a.description())).append("</div>");
            }
            h.append("</td><td>");
            for (String t : a.tactics()) {
                h.append("<div class=\"tactic\">").append(text(t)).append("</div>");
            }
            for (String t : a.techniques()) {
                h.append("<div class=\"technique\">").append(text(t)).append("</div>");
            }
            h.append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private void processes() {
        h.append("<section>\n<h2>Processes and their documents</h2>\n");
        for (ProcessNode n : tree.nodes()) {
            h.append("<article id=\"node-").append(attr(n.key())).append("\">\n<h3>")
                    .append(text(n.name() + (n.pid() == 0 ? "" : "[" + n.pid() + "]"))).append(" <small>")
                    .append(text(roleText(n))).append("</small></h3>\n<dl>");
            item("executable", n.executable());
            item("command line", n.commandLine());
            item("user", n.user());
            item("working directory", n.workingDirectory());
            item("entity id", n.entityId());
            if (n.startNs() != 0) {
                item("exec", DAY_TIME.format(instant(n.startNs())));
            }
            h.append("</dl>\n");
            if (n.documents().isEmpty()) {
                h.append("<p class=\"none\">No document of its own: known from its children.</p>\n");
            }
            for (int i : n.documents()) {
                document(i);
            }
            h.append("</article>\n");
        }
        h.append("</section>\n");
    }

    private void item(String name, String value) {
        if (value != null) {
            h.append("<dt>").append(text(name)).append("</dt><dd>").append(text(value)).append("</dd>");
        }
    }

    private void document(int i) {
        JsonNode d = tree.documents().get(i);
        boolean alert = "alert".equals(d.path("event").path("kind").asText());
        String summary = TIME.format(instant(TreeBuilder.timestampNs(d))) + "  "
                + (alert ? "alert: " + d.path("rule").path("name").asText("?")
                        : d.path("event").path("action").asText("event"));
        String json;
        try {
            json = PRETTY.writeValueAsString(d);
        } catch (JsonProcessingException e) {
            json = d.toString();
        }
        h.append("<details id=\"doc-").append(i).append("\"").append(alert ? " class=\"alert\"" : "")
                .append("><summary>").append(text(summary)).append("</summary><pre>").append(text(json))
                .append("</pre></details>\n");
    }

    private static String text(String s) {
        return Encode.forHtmlContent(s == null ? "" : s);
    }

    private static String attr(String s) {
        return Encode.forHtmlAttribute(s == null ? "" : s);
    }

    private static Instant instant(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 24px 40px;color:#1d2330;\
            background:#f7f8fa}
            header{border-bottom:1px solid #d5d9e0;margin-bottom:8px}
            h1{font-size:22px;margin:18px 0 6px}h2{font-size:17px;margin:22px 0 8px}h3{font-size:15px;margin:0 0 4px}
            .facts{display:flex;flex-wrap:wrap;gap:6px 16px}.fact b{color:#5a6375;font-weight:600}
            .scroll{overflow-x:auto;background:#fff;border:1px solid #d5d9e0;border-radius:6px}
            svg text{font:12px ui-monospace,"DejaVu Sans Mono",monospace}
            .edge{fill:none;stroke:#9aa3b2;stroke-width:1.5}
            .node rect{fill:#eef2f8;stroke:#7b8aa3}.activity rect{fill:#e8f6f6;stroke:#5aa6a6;stroke-dasharray:4 2}
            .sev-medium rect{fill:#fff6df;stroke:#d39b00}.sev-high rect{fill:#fde8e8;stroke:#c62828;stroke-width:2}
            .l1{font-weight:700;fill:#1d2330}.l2{fill:#4a5366}
            .badge{fill:#c62828}.badge-n{fill:#fff;font-weight:700;text-anchor:middle}
            .note{fill:#8a1c1c;font-weight:600}
            a:hover rect{stroke-width:3}
            .axis{stroke:#c7cdd8}.lane{fill:#5a6375}.end{text-anchor:end}
            .mark.exec{fill:#3d6fb6}.mark.activity{fill:#2a9d9d}.mark.alert{fill:#c62828}
            #timeline{background:#fff;border:1px solid #d5d9e0;border-radius:6px}
            table{border-collapse:collapse;background:#fff;width:100%}
            th,td{border:1px solid #d5d9e0;padding:4px 8px;text-align:left;vertical-align:top}
            .desc{color:#4a5366;font-size:13px}.technique,.tactic{white-space:nowrap;font-size:13px}
            .level-high,.level-critical{color:#c62828;font-weight:700}.level-medium{color:#9a6a00;font-weight:700}
            article{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:8px 12px;margin:8px 0}
            article:target{outline:3px solid #3d6fb6}
            dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:4px 0}
            dt{color:#5a6375}dd{margin:0;font-family:ui-monospace,monospace;word-break:break-all}
            details{margin:4px 0}details.alert summary{color:#c62828}summary{cursor:pointer}
            pre{background:#f1f3f6;padding:8px;overflow-x:auto;font-size:12px}
            footer{margin-top:24px;color:#5a6375;font-size:12px}
            """;
}
