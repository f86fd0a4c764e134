package io.spawnwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stats", header = "Show counters per hook, per rule, per sink and per subscriber.",
        description = "With --watch, refreshes every --interval until interrupted (or --count times); with --json,"
                + " prints one JSON line per refresh.")
final class StatsCommand extends ClientVerb {
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Option(names = {"-w", "--watch"}, description = "Refresh until interrupted.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s",
            converter = DurationConverter.class,
            description = "Time between refreshes with --watch (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--count", paramLabel = "N", description = "With --watch, stop after N refreshes.")
    Integer count;

    @Override
    public Integer call() throws ClientException, InterruptedException {
        if (!watch) {
            return callAndPrint("stats", args(), StatsCommand::print);
        }
        if (interval.isZero()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--interval must be more than 0s");
        }
        boolean terminal = System.console() != null && !client.json;
        try (ControlClient c = ControlClient.connect(client.socket)) {
            for (int i = 0; count == null || i < count; i++) {
                if (i > 0) {
                    Thread.sleep(interval.toMillis());
                }
                JsonNode result = c.call("stats", args());
                if (client.json) {
                    printJson(result);
                } else {
                    if (terminal) {
                        out().print(CLEAR_SCREEN);
                    } else if (i > 0) {
                        out().println();
                    }
                    out().println("stats at " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                            + " (every " + io.spawnwatch.time.Durations.format(interval) + ")");
                    print(result, out());
                }
                out().flush();
            }
        }
        return ExitCodes.OK;
    }

    static void print(JsonNode s, PrintWriter out) {
        counters(out, "HOOKS", s.path("hooks"));
        counters(out, "RULES", s.path("rules"));
        counters(out, "SINKS", s.path("sinks"));
        JsonNode c = s.path("control");
        out.printf(Locale.ROOT, "control: connections=%d accepted=%d refused=%d requests=%d errors=%d"
                        + " subscriber_drops=%d%n", c.path("connections").asLong(), c.path("accepted").asLong(),
                c.path("refused").asLong(), c.path("requests").asLong(), c.path("errors").asLong(),
                c.path("subscriber_drops").asLong());
        if (!c.path("subscribers").isEmpty()) {
            out.println();
            Table t = new Table("SUBSCRIBER", "KIND", "OWNER", "DELIVERED", "DROPPED", "QUEUED");
            c.path("subscribers").forEach(x -> t.row(x.path("id").asLong(), x.path("kind").asText(),
                    x.path("owner").asText(), x.path("delivered").asLong(), x.path("dropped").asLong(),
                    x.path("queued").asLong() + "/" + x.path("capacity").asLong()));
            t.print(out);
        }
    }

    /**
     * One block per section: a line per name with its counters as name=value, wrapped within 100 columns
     * (a table with a column per counter was some 370 columns wide for the hooks alone).
     */
    private static void counters(PrintWriter out, String what, JsonNode section) {
        if (!section.isObject() || section.isEmpty()) {
            return;
        }
        out.println(what);
        List<String> names = new ArrayList<>();
        section.fieldNames().forEachRemaining(names::add);
        Wrapped block = new Wrapped(out, Wrapped.labelWidth(names, 36));
        section.properties().forEach(e -> {
            List<String> pairs = new ArrayList<>();
            flatten("", e.getValue(), pairs);
            block.print(e.getKey(), pairs.isEmpty() ? List.of("-") : pairs);
        });
        out.println();
    }

    /** "key=value" for each counter; a nested object's as "key.sub=value". */
    private static void flatten(String prefix, JsonNode node, List<String> pairs) {
        node.properties().forEach(e -> {
            if (e.getValue().isObject()) {
                flatten(prefix + e.getKey() + ".", e.getValue(), pairs);
            } else {
                pairs.add(prefix + e.getKey() + "=" + (e.getValue().isNull() ? "-" : e.getValue().asText()));
            }
        });
    }
}
