package io.spawnwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spawnwatch.time.Durations;
import io.spawnwatch.incident.render.TextTree;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "incidents", header = "List incidents: alerts grouped by web server and time, with their story.",
        description = {"One line per incident: its id, the web server (lineage root), first and last time (UTC),"
                + " highest alert level, and how many processes, alerts and connections it holds.",
                "`spawnwatch incident show ID` prints one as a process tree, or writes it as an HTML page."})
final class IncidentsCommand extends ClientVerb {
    @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Only incidents active in this last period: 30m, 2h, 1d, 1h30m.")
    Duration since;

    @Override
    public Integer call() throws ClientException {
        ObjectNode a = args();
        if (since != null) {
            a.put("since", since.toMillis() + "ms");
        }
        return callAndPrint("incidents.list", a, (r, out) -> {
            Table t = new Table("ID", "WEB SERVER", "FIRST", "LAST", "LEVEL", "PROCESSES", "ALERTS", "CONNECTIONS");
            for (JsonNode i : r.path("incidents")) {
                t.row(i.path("id").asText(), TextTree.server(i), i.path("first").asText(), i.path("last").asText(),
                        i.path("level").asText(), i.path("processes").asText(), i.path("alerts").asText(),
                        i.path("connections").asText());
            }
            if (t.isEmpty()) {
                out.println(since == null ? "no incidents" : "no incidents in the last " + Durations.format(since));
            } else {
                t.print(out);
            }
        });
    }
}
