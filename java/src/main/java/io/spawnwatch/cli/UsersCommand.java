package io.spawnwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "users", header = "List, add or remove web-server users (uids) in the kernel filter.",
        subcommands = {UsersCommand.ListUsers.class, UsersCommand.Add.class, UsersCommand.Remove.class})
final class UsersCommand {

    @Command(name = "list", header = "List the web-server uids the kernel watches.")
    static final class ListUsers extends ClientVerb {
        @Override
        public Integer call() throws ClientException {
            return callAndPrint("users.list", args(), (r, out) -> {
                Table t = new Table("UID", "NAME", "SOURCE");
                r.path("users").forEach(u -> t.row(u.path("uid").asLong(), text(u.path("name")),
                        u.path("source").asText("-")));
                t.print(out);
            });
        }
    }

    @Command(name = "add", header = "Watch every process of a web-server user, live.")
    static final class Add extends ClientVerb {
        @Parameters(paramLabel = "USER", description = "A uid (33) or a user name (www-data).")
        String user;

        @Override
        public Integer call() throws ClientException {
            return callAndPrint("users.add", userArgs(user),
                    (r, out) -> out.println("watching web-server user " + describe(r)));
        }
    }

    @Command(name = "remove", header = "Stop watching a web-server user, live.")
    static final class Remove extends ClientVerb {
        @Parameters(paramLabel = "USER", description = "A uid or a user name.")
        String user;

        @Override
        public Integer call() throws ClientException {
            return callAndPrint("users.remove", userArgs(user),
                    (r, out) -> out.println("no longer watching web-server user " + describe(r)));
        }
    }

    /** A number goes as a number, anything else as a name for the sensor to resolve. */
    static ObjectNode userArgs(String user) {
        ObjectNode a = ClientVerb.args();
        String u = user.strip();
        if (!u.isEmpty() && u.length() <= 10 && u.chars().allMatch(Character::isDigit)) {
            a.put("user", Long.parseLong(u));
        } else {
            a.put("user", u);
        }
        return a;
    }

    static String describe(JsonNode u) {
        return "uid=" + u.path("uid").asLong() + (u.path("name").isTextual() ? " (" + u.path("name").asText() + ")" : "");
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : "-";
    }
}
