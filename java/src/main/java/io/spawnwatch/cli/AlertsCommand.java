package io.spawnwatch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spawnwatch.time.Durations;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "alerts", header = "Print recent alerts, and with --follow new ones as they happen.",
        description = {"Without options: every alert the sensor still holds in memory.",
                "--since 1h: those of the last hour. --follow: then keep printing new alerts until interrupted;"
                        + " with --follow alone, only new ones.",
                "A terminal that reads too slowly loses alerts rather than slowing the sensor: it is told how many."})
final class AlertsCommand extends StreamVerb {
    @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Replay alerts of this last period: 30s, 15m, 2h, 1d, 1h30m.")
    Duration since;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new alerts until interrupted.")
    boolean follow;

    @Override
    public Integer call() throws ClientException {
        ObjectNode a = args().put("follow", follow);
        if (since != null) {
            a.put("since", since.toMillis() + "ms");
        }
        String none = since == null ? "no alerts in memory" : "no alerts in the last " + Durations.format(since);
        return stream("alerts", a, Render::alert, none);
    }
}
