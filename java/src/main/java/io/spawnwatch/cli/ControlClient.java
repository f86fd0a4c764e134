package io.spawnwatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spawnwatch.control.UnixClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLI's side of the control protocol: one connection, requests answered in
 * order, over {@link UnixClient}, which tells who is listening before a byte
 * is sent.
 */
final class ControlClient implements AutoCloseable {
    /** What a stream request delivers before its answer. */
    interface StreamHandler {
        void document(JsonNode doc);

        void notice(JsonNode notice);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final UnixClient channel;
    private final BufferedReader in;
    private final OutputStream out;
    private long nextId = 1;

    private ControlClient(Path socket, UnixClient channel) {
        this.socket = socket;
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(channel.in(), StandardCharsets.UTF_8));
        this.out = channel.out();
    }

    /**
     * Connects and checks who listens (SO_PEERCRED) before sending anything:
     * the server must run as root or as this user. Anyone else who managed to
     * listen on the path (an impostor in a directory it controls) is refused,
     * so the request, and the operator's trust in "added", never reach it.
     * Otherwise explains in one line why not and what to do.
     */
    static ControlClient connect(Path socket) throws ClientException.Unreachable {
        String hint = "start the sensor with `spawnwatch run`, or pass --socket PATH (or set SPAWNWATCH_SOCKET)";
        UnixClient channel;
        try {
            channel = UnixClient.connect(socket);
        } catch (UnixClient.ConnectFailed e) {
            if (e.noSuchFile()) {
                throw unreachable(socket, "no socket there; " + hint, e);
            }
            if (e.permissionDenied()) {
                throw unreachable(socket, "permission denied; run as root or as a user the sensor's configuration"
                        + " allows", e);
            }
            if (e.refused()) {
                throw unreachable(socket, "nothing is listening (the sensor is not running); " + hint, e);
            }
            throw unreachable(socket, e.getMessage() + "; " + hint, e);
        } catch (IOException e) {
            throw unreachable(socket, e.getMessage() + "; " + hint, e);
        }
        long me = UnixClient.effectiveUid();
        long server = channel.server().uid();
        if (server != 0 && server != me) {
            channel.close();
            throw new ClientException.Unreachable(socket, "refusing to talk to the process listening at " + socket
                    + ": it runs as uid=" + server + " (pid " + channel.server().pid() + "), not root: it is not the"
                    + " sensor (an impostor may have replaced the socket); nothing was sent. Check who owns "
                    + socket.toAbsolutePath().getParent(), null);
        }
        return new ControlClient(socket, channel);
    }

    Path socket() {
        return socket;
    }

    /** Sends one request and returns its result; throws the sensor's error. */
    JsonNode call(String cmd, ObjectNode args) throws ClientException {
        long id = send(cmd, args);
        while (true) {
            JsonNode line = readLine();
            if (isAnswerTo(line, id)) {
                return result(line);
            }
        }
    }

    /**
     * Sends a stream request; hands every stream and notice line to
     * {@code handler} and returns the answer's result when the stream ends.
     */
    JsonNode stream(String cmd, ObjectNode args, StreamHandler handler) throws ClientException {
        long id = send(cmd, args);
        while (true) {
            JsonNode line = readLine();
            if (line.path("id").asLong(-1) != id && !line.path("id").isNull()) {
                continue;
            }
            if (line.has("stream")) {
                handler.document(line.get("stream"));
            } else if (line.has("notice")) {
                handler.notice(line.get("notice"));
            } else if (isAnswerTo(line, id)) {
                return result(line);
            }
        }
    }

    private long send(String cmd, ObjectNode args) throws ClientException {
        long id = nextId++;
        ObjectNode request = JSON.createObjectNode();
        request.put("v", 1);
        request.put("id", id);
        request.put("cmd", cmd);
        request.set("args", args == null ? JSON.createObjectNode() : args);
        try {
            out.write(JSON.writeValueAsBytes(request));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            // The sensor may have refused us with one line before closing: prefer that answer.
            JsonNode refusal = tryReadLine();
            if (refusal != null && refusal.has("error")) {
                result(refusal);
            }
            throw lost(e);
        }
        return id;
    }

    private static boolean isAnswerTo(JsonNode line, long id) {
        boolean answer = line.has("ok") || line.has("error");
        // A refusal (forbidden, busy) comes before we are read, with id null.
        return answer && (line.path("id").asLong(-1) == id || line.path("id").isNull());
    }

    private JsonNode result(JsonNode line) throws ClientException.SensorError {
        if (line.has("error")) {
            JsonNode error = line.get("error");
            List<String> details = new ArrayList<>();
            error.path("details").forEach(d -> details.add(d.asText()));
            throw new ClientException.SensorError(error.path("code").asText("unknown"),
                    error.path("message").asText(""), details);
        }
        return line.path("result");
    }

    private JsonNode readLine() throws ClientException {
        String text;
        try {
            text = in.readLine();
        } catch (IOException e) {
            throw lost(e);
        }
        if (text == null) {
            throw lost(null);
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ClientException.Unreachable(socket, "the process at " + socket
                    + " does not speak the spawnwatch protocol: " + e.getOriginalMessage(), e);
        }
    }

    private JsonNode tryReadLine() {
        try {
            String text = in.readLine();
            return text == null ? null : JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private ClientException.Unreachable lost(IOException e) {
        return new ClientException.Unreachable(socket, "lost the connection to the sensor at " + socket
                + " before it answered; it may have stopped: check its log", e);
    }

    private static ClientException.Unreachable unreachable(Path socket, String why, Exception e) {
        return new ClientException.Unreachable(socket, "cannot reach the sensor at " + socket + ": " + why, e);
    }

    @Override
    public void close() {
        channel.close();
    }
}
