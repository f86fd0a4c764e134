package io.spawnwatch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spawnwatch.control.EventFilter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "events", header = "Print recent events, and with --follow every new one the kernel sends up.",
        description = {"Without --follow: the most recent events the sensor holds (--last N of them).",
                "--filter FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT on ECS dotted fields; repeat to require all,"
                        + " e.g. --filter process.name=sh --filter event.category=process"})
final class EventsCommand extends StreamVerb {
    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted.")
    boolean follow;

    @Option(names = "--filter", paramLabel = "CONDITION", description = "Only events where CONDITION holds.")
    List<String> filters = new ArrayList<>();

    @Option(names = "--last", paramLabel = "N", description = "Without --follow: at most N recent events.")
    Integer last;

    @Override
    public Integer call() throws ClientException {
        try {
            EventFilter.parse(filters);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--filter: " + e.getMessage());
        }
        if (follow && last != null) {
            throw new ParameterException(spec.commandLine(), "--last applies to recent events; it cannot be"
                    + " combined with --follow");
        }
        if (last != null && last < 0) {
            throw new ParameterException(spec.commandLine(), "--last must be 0 or more");
        }
        ObjectNode a = args().put("follow", follow);
        ArrayNode f = a.putArray("filter");
        filters.forEach(f::add);
        if (last != null) {
            a.put("last", last);
        }
        return stream("events", a, Render::event, "no recent events");
    }
}
