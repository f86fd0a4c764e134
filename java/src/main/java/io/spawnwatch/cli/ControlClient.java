package io.spawnwatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLI's side of the control protocol: one connection, requests answered in
 * order. The client needs no peer credentials, so it uses the JDK's own Unix
 * socket channel.
 */
final class ControlClient implements AutoCloseable {
    /** What a stream request delivers before its answer. */
    interface StreamHandler {
        void document(JsonNode doc);

        void notice(JsonNode notice);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;
    private long nextId = 1;

    private ControlClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    /** Connects, or explains in one line why not and what to do. */
    static ControlClient connect(Path socket) throws ClientException.Unreachable {
        String hint = "start the sensor with `spawnwatch run`, or pass --socket PATH (or set SPAWNWATCH_SOCKET)";
        try {
            Files.readAttributes(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw unreachable(socket, "no socket there; " + hint, e);
        } catch (AccessDeniedException e) {
            throw unreachable(socket, "permission denied; run as root or as a user the sensor's configuration allows",
                    e);
        } catch (IOException | UnsupportedOperationException e) {
            // Let connect() say what is wrong.
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return new ControlClient(socket, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            String why = String.valueOf(e.getMessage());
            if (why.contains("Permission denied")) {
                throw unreachable(socket, "permission denied; run as root or as a user the sensor's configuration"
                        + " allows", e);
            }
            if (why.contains("Connection refused")) {
                throw unreachable(socket, "nothing is listening (the sensor is not running); " + hint, e);
            }
            throw unreachable(socket, why + "; " + hint, e);
        }
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

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing to do.
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
