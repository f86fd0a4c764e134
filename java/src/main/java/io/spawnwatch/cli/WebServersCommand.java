package io.spawnwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "webservers", header = "List, add or remove web-server process names in the kernel filter.",
        subcommands = {WebServersCommand.ListWebServers.class, WebServersCommand.Add.class,
                WebServersCommand.Remove.class})
final class WebServersCommand {

    @Command(name = "list", header = "List the web-server names the kernel watches and the web servers in force.")
    static final class ListWebServers extends ClientVerb {
        @Override
        public Integer call() throws ClientException {
            return callAndPrint("webservers.list", args(), (r, out) -> {
                Table t = new Table("NAME", "MATCH", "SOURCE");
                r.path("webservers").forEach(w -> t.row(w.path("name").asText(), match(w),
                        w.path("source").asText("-")));
                t.print(out);
                out.println();
                StatusCommand.printRoots(r.path("roots"), out);
            });
        }
    }

    @Command(name = "add", header = "Watch a web-server process name (its comm), live.")
    static final class Add extends ClientVerb {
        @Parameters(paramLabel = "NAME", description = "Process name as the kernel sees it (at most 15 bytes).")
        String name;

        @Option(names = "--prefix", description = "Match every process name that starts with NAME (e.g. php-fpm).")
        boolean prefix;

        @Override
        public Integer call() throws ClientException {
            return callAndPrint("webservers.add", args().put("name", name).put("prefix", prefix),
                    (r, out) -> out.println("watching web server " + r.path("name").asText() + " (" + match(r) + ")"));
        }
    }

    @Command(name = "remove", header = "Stop watching a web-server process name, live.")
    static final class Remove extends ClientVerb {
        @Parameters(paramLabel = "NAME", description = "The name, as `webservers list` shows it.")
        String name;

        @Override
        public Integer call() throws ClientException {
            return callAndPrint("webservers.remove", args().put("name", name),
                    (r, out) -> out.println("no longer watching web server " + r.path("name").asText()));
        }
    }

    static String match(JsonNode w) {
        return w.path("prefix").asBoolean() ? "prefix" : "exact";
    }
}
