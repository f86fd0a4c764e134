package io.spawnwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "rules", header = "List, show, enable, disable or reload the detection rules.",
        subcommands = {RulesCommand.ListRules.class, RulesCommand.Show.class, RulesCommand.Enable.class,
                RulesCommand.Disable.class, RulesCommand.Reload.class, CheckCommands.RulesCheck.class})
final class RulesCommand {

    @Command(name = "list", header = "List every loaded rule, enabled or not.")
    static final class ListRules extends ClientVerb {
        @Override
        public Integer call() throws ClientException {
            return callAndPrint("rules.list", args(), (r, out) -> {
                Table t = new Table("ID", "ENABLED", "LEVEL", "TITLE");
                r.path("rules").forEach(x -> t.row(x.path("id").asText(), yesNo(x), x.path("level").asText("-"),
                        x.path("title").asText("-")));
                t.print(out);
            });
        }
    }

    @Command(name = "show", header = "Show one rule and its definition.")
    static final class Show extends ClientVerb {
        @Parameters(paramLabel = "ID", description = "The rule's id, as `rules list` shows it.")
        String id;

        @Override
        public Integer call() throws ClientException {
            return callAndPrint("rules.show", args().put("id", id), Show::print);
        }

        static void print(JsonNode r, PrintWriter out) {
            StringBuilder tags = new StringBuilder();
            r.path("tags").forEach(t -> tags.append(tags.isEmpty() ? "" : ", ").append(t.asText()));
            new Table("", "")
                    .row("id", r.path("id").asText())
                    .row("title", r.path("title").asText("-"))
                    .row("level", r.path("level").asText("-"))
                    .row("enabled", yesNo(r))
                    .row("source", r.path("source").asText("-"))
                    .row("tags", tags.isEmpty() ? "-" : tags)
                    .row("description", r.path("description").asText("-"))
                    .printBody(out);
            String definition = r.path("definition").asText("");
            if (!definition.isEmpty()) {
                out.println();
                out.print(definition.endsWith("\n") ? definition : definition + "\n");
            }
        }
    }

    @Command(name = "enable", header = "Enable a rule, live.")
    static final class Enable extends ClientVerb {
        @Parameters(paramLabel = "ID", description = "The rule's id.")
        String id;

        @Override
        public Integer call() throws ClientException {
            return callAndPrint("rules.enable", args().put("id", id),
                    (r, out) -> out.println("rule " + r.path("id").asText() + " is enabled"));
        }
    }

    @Command(name = "disable", header = "Disable a rule, live.")
    static final class Disable extends ClientVerb {
        @Parameters(paramLabel = "ID", description = "The rule's id.")
        String id;

        @Override
        public Integer call() throws ClientException {
            return callAndPrint("rules.disable", args().put("id", id),
                    (r, out) -> out.println("rule " + r.path("id").asText() + " is disabled"));
        }
    }

    @Command(name = "reload", header = "Re-read the rule files; all or nothing.",
            description = "When any rule file has an error, the running rules stay as they are and every error is"
                    + " printed (exit code 1).")
    static final class Reload extends ClientVerb {
        @Override
        public Integer call() throws ClientException {
            return callAndPrint("rules.reload", args(), (r, out) -> out.println("reloaded: "
                    + r.path("rules_loaded").asLong() + " rules loaded, " + r.path("rules_enabled").asLong()
                    + " enabled"));
        }
    }

    static String yesNo(JsonNode rule) {
        return rule.path("enabled").asBoolean() ? "yes" : "no";
    }
}
