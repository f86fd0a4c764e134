package io.spawnwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spawnwatch.incident.render.HtmlPage;
import io.spawnwatch.incident.render.TextTree;
import io.spawnwatch.incident.tree.IncidentTree;
import io.spawnwatch.incident.tree.TreeBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "incident", header = "Show one incident as a process tree, in the terminal or as an HTML page.",
        subcommands = {IncidentCommand.Show.class})
final class IncidentCommand {

    /** When to colour the tree. */
    enum Colour { auto, always, never }

    @Command(name = "show", header = "Show an incident: its process tree, connections, files and alerts.",
            description = {"Prints the tree from the web server down to every process of the incident, with"
                    + " times (UTC), users and shortened arguments; what each process did (connections, files)"
                    + " under it, and its alerts (! level rule) beside it.",
                    "--html FILE writes one self-contained page (no script, no external asset): the tree as a"
                            + " picture, a timeline, the alerts with rule descriptions and ATT&CK techniques,"
                            + " and every ECS document a click away. The file is created mode 0600.",
                    "--json prints the tree for scripts: {incident, root, alerts, documents}."})
    static final class Show extends ClientVerb {
        private static final ObjectMapper SNAKE = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

        @Parameters(paramLabel = "ID", description = "The incident's id, as `spawnwatch incidents` shows it.")
        long id;

        @Option(names = "--html", paramLabel = "FILE", description = "Write the incident as an HTML page to FILE.")
        Path html;

        @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
                description = "Colour the tree: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: on a terminal,"
                        + " unless NO_COLOR is set).")
        Colour colour;

        @Override
        public Integer call() throws ClientException {
            JsonNode r = call("incidents.show", args().put("id", id));
            List<JsonNode> documents = new ArrayList<>();
            r.path("documents").forEach(documents::add);
            IncidentTree tree = TreeBuilder.build(r.path("incident"), documents);
            if (html != null) {
                return writeHtml(tree);
            }
            if (client.json) {
                ObjectNode o = SNAKE.createObjectNode();
                o.set("incident", r.path("incident"));
                o.set("root", SNAKE.valueToTree(tree.root()));
                o.set("alerts", SNAKE.valueToTree(tree.alerts()));
                o.set("documents", r.path("documents"));
                printJson(o);
            } else {
                TextTree.print(tree, out(), useColour());
            }
            out().flush();
            return ExitCodes.OK;
        }

        private int writeHtml(IncidentTree tree) {
            byte[] page = HtmlPage.render(tree).getBytes(StandardCharsets.UTF_8);
            Path target = html.toAbsolutePath();
            try {
                // Written beside the target and moved in, so a reader never sees half a page;
                // 0600: the page holds command lines.
                Path tmp = Files.createTempFile(target.getParent(), ".incident-", ".html",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    Files.write(tmp, page);
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException | RuntimeException e) {
                err().println("spawnwatch: --html " + html + ": cannot write the page: " + (e instanceof IOException ioe
                        ? io.spawnwatch.files.IoErrors.describe(ioe) : e.getMessage()));
                err().flush();
                return ExitCodes.USAGE;
            }
            out().println("incident " + id + " written to " + html + " (" + page.length / 1024 + " KiB, "
                    + tree.nodes().size() + " processes, " + tree.alerts().size() + " alerts)");
            out().flush();
            return ExitCodes.OK;
        }

        private boolean useColour() {
            return switch (colour) {
                case always -> true;
                case never -> false;
                case auto -> System.getenv("NO_COLOR") == null && System.console() != null
                        && System.console().isTerminal();
            };
        }
    }
}
