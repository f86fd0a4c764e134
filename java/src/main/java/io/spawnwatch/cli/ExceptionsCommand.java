package io.spawnwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "exceptions", header = "List, add or remove alert exceptions (kept across restarts).",
        subcommands = {ExceptionsCommand.ListExceptions.class, ExceptionsCommand.Add.class,
                ExceptionsCommand.Remove.class})
final class ExceptionsCommand {

    @Command(name = "list", header = "List the alert exceptions.")
    static final class ListExceptions extends ClientVerb {
        @Override
        public Integer call() throws ClientException {
            return callAndPrint("exceptions.list", args(), (r, out) -> {
                Table t = new Table("ID", "RULE", "MATCH", "COMMENT");
                r.path("exceptions").forEach(x -> t.row(x.path("id").asText(), x.path("rule").asText(),
                        match(x.path("match")), x.path("comment").asText("")));
                t.print(out);
            });
        }
    }

    @Command(name = "add", header = "Suppress alerts of a rule whose fields all match.",
            description = "Example: spawnwatch exceptions add --rule web-shell-spawn"
                    + " --match process.command_line='sh -c uptime' --comment 'monitoring probe'")
    static final class Add extends ClientVerb {
        @Option(names = "--rule", required = true, paramLabel = "RULE",
                description = "The rule id, or * for every rule.")
        String rule;

        @Option(names = "--match", required = true, paramLabel = "FIELD=VALUE",
                description = "An ECS field and the value it must equal; repeat for more fields (all must match).")
        Map<String, String> match = new LinkedHashMap<>();

        @Option(names = "--comment", paramLabel = "TEXT", description = "Why this exception exists.")
        String comment;

        @Override
        public Integer call() throws ClientException {
            ObjectNode a = args().put("rule", rule);
            ObjectNode m = a.putObject("match");
            match.forEach(m::put);
            if (comment != null) {
                a.put("comment", comment);
            }
            return callAndPrint("exceptions.add", a, (r, out) -> out.println("added exception " + r.path("id").asText()
                    + " for rule " + r.path("rule").asText() + ": " + match(r.path("match"))));
        }
    }

    @Command(name = "remove", header = "Remove an alert exception.")
    static final class Remove extends ClientVerb {
        @Parameters(paramLabel = "ID", description = "The exception's id, as `exceptions list` shows it.")
        String id;

        @Override
        public Integer call() throws ClientException {
            return callAndPrint("exceptions.remove", args().put("id", id),
                    (r, out) -> out.println("removed exception " + r.path("id").asText()));
        }
    }

    static String match(JsonNode match) {
        StringBuilder b = new StringBuilder();
        match.properties().forEach(e -> b.append(b.isEmpty() ? "" : " ").append(e.getKey()).append('=')
                .append(e.getValue().asText()));
        return b.toString();
    }
}
