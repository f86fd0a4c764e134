package io.spawnwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
        counters(out, "HOOK", s.path("hooks"));
        counters(out, "RULE", s.path("rules"));
        counters(out, "SINK", s.path("sinks"));
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

    /** One table per section: a row per name, a column per counter (the union of their names). */
    private static void counters(PrintWriter out, String what, JsonNode section) {
        if (!section.isObject() || section.isEmpty()) {
            return;
        }
        Set<String> columns = new LinkedHashSet<>();
        section.forEach(counters -> counters.fieldNames().forEachRemaining(columns::add));
        List<String> headers = new ArrayList<>();
        headers.add(what);
        columns.forEach(col -> headers.add(col.toUpperCase(Locale.ROOT)));
        Table t = new Table(headers);
        section.properties().forEach(e -> {
            List<String> row = new ArrayList<>();
            row.add(e.getKey());
            columns.forEach(col -> row.add(e.getValue().has(col) ? e.getValue().get(col).asText() : "-"));
            t.row(row);
        });
        t.print(out);
        out.println();
    }
}
