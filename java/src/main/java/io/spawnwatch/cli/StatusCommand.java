package io.spawnwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.spawnwatch.time.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;

@Command(name = "status", header = "Show whether the sensor is healthy: hooks, rates, drops, rules.",
        description = "Version, uptime, kernel, the hook each probe uses (and why a fallback was needed), ring"
                + " size, events and alerts per second, drops in the kernel and in user space, rules loaded and the"
                + " configuration file.")
final class StatusCommand extends ClientVerb {
    @Override
    public Integer call() throws ClientException {
        return callAndPrint("status", args(), StatusCommand::print);
    }

    static void print(JsonNode s, PrintWriter out) {
        out.printf("spawnwatch %s, up %s, kernel %s%n", s.path("version").asText("?"),
                Durations.format(Duration.ofSeconds(s.path("uptime_seconds").asLong())), s.path("kernel").asText("?"));
        JsonNode control = s.path("control");
        new Table("", "")
                .row("config", s.path("config_path").isTextual() ? s.path("config_path").asText() : "embedded defaults")
                .row("rules", s.path("rules_loaded").asLong() + " loaded, " + s.path("rules_enabled").asLong()
                        + " enabled")
                .row("ring buffer", bytes(s.path("ring_bytes").asLong()))
                .row("rate", String.format(Locale.ROOT, "%.1f events/s, %.1f alerts/s",
                        s.path("events_per_second").asDouble(), s.path("alerts_per_second").asDouble()))
                .row("drops", "kernel " + s.path("drops").path("kernel").asLong() + ", user "
                        + s.path("drops").path("user").asLong() + ", slow subscribers "
                        + control.path("subscriber_drops").asLong())
                .row("clients", control.path("connections").asLong() + " connected, "
                        + control.path("refused").asLong() + " refused since start")
                .row("held back", s.path("alerts_held_back").asLong() + " alerts over the alert bounds")
                .row("learning", learning(s.path("learning")))
                .printBody(out);
        for (JsonNode w : s.path("warnings")) {
            out.println("WARNING: " + w.asText());
        }
        out.println();
        Table hooks = new Table("PROBE", "HOOK", "FALLBACK");
        s.path("hooks").forEach(h -> hooks.row(h.path("probe").asText(), h.path("hook").asText(),
                h.path("fallback").isTextual() ? h.path("fallback").asText() : "-"));
        hooks.print(out);
        out.println();
        printRoots(s.path("roots"), out);
    }

    /** The lineage roots in force: "PID NAME WHY". */
    static void printRoots(JsonNode roots, PrintWriter out) {
        Table t = new Table("PID", "WEB SERVER", "WHY");
        roots.forEach(r -> t.row(Long.toString(r.path("pid").asLong()), r.path("name").asText(),
                r.path("reason").asText()));
        t.print(out);
    }

    /** The learning period of rarity and new-terms rules, with its end time. */
    static String learning(JsonNode l) {
        if (!l.isObject()) {
            return "off (rarity and new-terms rules alert from the start)";
        }
        return l.path("active").asBoolean()
                ? "until " + l.path("end").asText() + " (rarity and new-terms rules record without alerting)"
                : "ended " + l.path("end").asText();
    }

    static String bytes(long n) {
        if (n >= 1L << 20 && n % (1L << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1L << 10 && n % (1L << 10) == 0) {
            return (n >> 10) + " KiB";
        }
        return n + " bytes";
    }
}
