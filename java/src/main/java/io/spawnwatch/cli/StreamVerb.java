package io.spawnwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/** A verb that prints a stream of ECS documents (alerts, events) as they come. */
abstract class StreamVerb extends ClientVerb {
    /** Sends the stream request; prints documents (raw with --json) and drop notices (stderr). */
    int stream(String cmd, ObjectNode args, Function<JsonNode, String> human, String none) throws ClientException {
        long[] count = {0};
        JsonNode end;
        try (ControlClient c = ControlClient.connect(client.socket)) {
            end = c.stream(cmd, args, new ControlClient.StreamHandler() {
                @Override
                public void document(JsonNode doc) {
                    count[0]++;
                    if (client.json) {
                        printJson(doc);
                    } else {
                        out().println(human.apply(doc));
                    }
                    out().flush();
                }

                @Override
                public void notice(JsonNode notice) {
                    err().println("spawnwatch: " + notice.path("message").asText(notice.toString()));
                    err().flush();
                }
            });
        }
        if (count[0] == 0 && !client.json && "complete".equals(end.path("end").asText())) {
            out().println(none);
        }
        if ("shutdown".equals(end.path("end").asText())) {
            err().println("spawnwatch: the sensor is shutting down; stream ended");
        }
        out().flush();
        err().flush();
        return ExitCodes.OK;
    }
}
