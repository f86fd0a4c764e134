package io.spawnwatch.incident;

import static io.spawnwatch.incident.Docs.SECOND;
import static io.spawnwatch.incident.Docs.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spawnwatch.incident.render.HtmlPage;
import io.spawnwatch.incident.tree.IncidentTree;
import io.spawnwatch.incident.tree.TreeBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page over hostile documents: every attacker-chosen value is encoded,
 * nothing runs, nothing loads; and the Chromium check this project relies on
 * does catch a page that errs (so that its silence on ours means something).
 */
class HtmlPageTest {
    private static final String HOSTILE = "sh -c '</title><script>alert(1)</script>\"><img src=x onerror=alert(2)>'";

    @TempDir
    Path tmp;

    private static IncidentTree hostileTree() {
        ObjectNode sh = Docs.exec(T0 + SECOND, 100, 300, 101, "<b>sh</b>", "sh", "-c",
                "</title><script>alert(1)</script>\"><img src=x onerror=alert(2)>");
        ((ObjectNode) sh.path("process")).put("working_directory", "/var/www/\"><svg onload=alert(3)>");
        ObjectNode alert = Docs.alert(sh, "r\"><script>", "Rule <script>alert(4)</script>", 99);
        ObjectNode summary = Docs.JSON.createObjectNode().put("id", 7).put("root_pid", 100)
                .put("root_name", "php-fpm<i>").put("root_executable", "/usr/sbin/php-fpm8.2")
                .put("first", "2026-11-30T12:00:01Z").put("last", "2026-11-30T12:00:01Z").put("level", "critical")
                .put("processes", 1).put("alerts", 1).put("connections", 0);
        List<JsonNode> docs = List.of(sh, alert);
        return TreeBuilder.build(summary, docs);
    }

    @Test
    void shouldEncodeEveryValueFromTheDocuments() {
        String html = HtmlPage.render(hostileTree());
        assertEquals(HOSTILE, "sh -c '" + hostileTree().nodes().get(2).args().get(2) + "'");
        assertFalse(html.contains("<script"), "no script element");
        assertFalse(html.contains("<img"), "no img element");
        assertFalse(html.contains("<svg onload"), "no injected svg");
        assertFalse(html.contains("<b>sh"), "no markup from a process name");
        assertFalse(html.contains("<i>"), "no markup from the root's name");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the command line, encoded");
        assertTrue(html.contains("Rule &lt;script&gt;alert(4)&lt;/script&gt;"), "the rule name, encoded");
        assertTrue(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""), "the CSP");
        String withoutSvgNamespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assertFalse(withoutSvgNamespace.contains("http:") || withoutSvgNamespace.contains("https:"),
                "no external reference");
    }

    @Test
    void shouldRenderTheHostilePageCleanlyInChromiumAndCatchAPageThatErrs() throws Exception {
        Path good = tmp.resolve("good.html");
        Files.writeString(good, HtmlPage.render(hostileTree()));
        Path bad = tmp.resolve("bad.html");
        Files.writeString(bad, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>bad</title></head><body>"
                + "<p id=\"here\">x</p><script>console.error('boom'); undefinedFunction();</script></body></html>");
        Path blocked = tmp.resolve("blocked.html");
        Files.writeString(blocked, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv="
                + "\"Content-Security-Policy\" content=\"default-src 'none'\"><title>blocked</title></head><body>"
                + "<script>document.title = 'ran';</script></body></html>");
        try (HeadlessChromium chromium = HeadlessChromium.start(800, 600)) {
            chromium.open(good);
            assertEquals(List.of(), chromium.errors());
            String dom = chromium.dom();
            assertTrue(dom.contains("id=\"svg-p2\""), "the shell's node is drawn");
            assertFalse(dom.contains("<script"), "nothing the page's values carried became an element");

            chromium.open(bad);
            List<String> errors = chromium.errors();
            assertTrue(errors.stream().anyMatch(e -> e.startsWith("console.error") && e.contains("boom")),
                    errors.toString());
            assertTrue(errors.stream().anyMatch(e -> e.startsWith("exception") && e.contains("undefinedFunction")),
                    errors.toString());

            chromium.open(blocked);
            assertTrue(chromium.errors().stream().anyMatch(e -> e.contains("Content Security Policy")),
                    chromium.errors().toString());
        }
    }
}
