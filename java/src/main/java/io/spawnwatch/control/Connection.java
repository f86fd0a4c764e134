package io.spawnwatch.control;

import io.spawnwatch.time.Durations;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client: a platform thread reads its request lines and answers them in
 * order; each stream (alerts, events) has its own writer thread. Platform
 * threads, since both block in native recv/send, which would pin a virtual
 * thread's carrier. Everything here happens off the sensor's event path: the
 * sensor only ever touches a {@link Subscription}'s queue.
 */
final class Connection implements Runnable, LineFramer.Sink {
    private static final System.Logger LOG = System.getLogger("io.spawnwatch.control");
    private static final Set<String> REQUEST_FIELDS = Set.of("v", "id", "cmd", "args");
    private static final int READ_CHUNK = 16 * 1024;
    private static final long FINITE_STREAM_GRACE_MILLIS = 10_000;
    private static final long WRITER_STOP_MILLIS = 5_000;

    private final ControlServer server;
    private final UnixStream stream;
    private final PeerCredentials peer;
    private final String name;
    private final Map<JsonNode, StreamWriter> streams = new ConcurrentHashMap<>();
    private final byte[] chunk = new byte[READ_CHUNK];
    private volatile boolean stopping;
    /** When the last complete request line arrived (System.nanoTime); only the reading thread. */
    private long lastRequestNanos;

    Connection(ControlServer server, UnixStream stream, PeerCredentials peer, long number) {
        this.server = server;
        this.stream = stream;
        this.peer = peer;
        this.name = "spawnwatch-control-" + number + " uid=" + peer.uid() + " pid=" + peer.pid();
    }

    String name() {
        return name;
    }

    PeerCredentials peer() {
        return peer;
    }

    @Override
    public void run() {
        LineFramer framer = new LineFramer(server.options().maxLineBytes());
        long idleNanos = server.options().idleTimeoutMillis() * 1_000_000L;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(READ_CHUNK);
            stream.setReceiveTimeout(Math.max(1, server.options().idleTimeoutMillis() / 2));
            lastRequestNanos = System.nanoTime();
            while (true) {
                int n = stream.read(buf);
                if (n == 0) {
                    break;
                }
                if (n > 0) {
                    MemorySegment.copy(buf, JAVA_BYTE, 0, chunk, 0, n);
                    framer.feed(chunk, n, this);
                }
                // Idle: no complete request for the timeout (a byte at a time does not count) and no stream
                // to follow. Such a peer would otherwise hold a slot for ever.
                if (streams.isEmpty() && System.nanoTime() - lastRequestNanos > idleNanos) {
                    server.countIdleClosed();
                    LOG.log(System.Logger.Level.INFO, "control: {0}: closed after {1} ms without a request", name,
                            Long.toString(server.options().idleTimeoutMillis()));
                    stream.trySend(Protocol.error(NullNode.instance, ErrorCode.IDLE_TIMEOUT, "no request for "
                            + server.options().idleTimeoutMillis() + " ms; connection closed", List.of()));
                    break;
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "control: {0}: {1}", name, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "control: " + name + ": unexpected failure; closing this connection", e);
        } finally {
            finish();
        }
    }

    /** End of input: finite streams may finish (bounded), followed streams end; then the fd closes. */
    private void finish() {
        long deadline = System.currentTimeMillis() + FINITE_STREAM_GRACE_MILLIS;
        for (StreamWriter w : streams.values()) {
            if (w.follow) {
                w.cancel("closed");
            }
        }
        for (StreamWriter w : List.copyOf(streams.values())) {
            w.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
        // Wakes writers blocked in send (EPIPE) or parked on their queue; they then stop at once.
        stream.shutdown();
        List<StreamWriter> left = List.copyOf(streams.values());
        left.forEach(w -> w.cancel("closed"));
        boolean stopped = true;
        for (StreamWriter w : left) {
            w.join(WRITER_STOP_MILLIS);
            stopped &= !w.thread.isAlive();
        }
        if (stopped) {
            stream.close();
        } else {
            // Never close an fd a live thread may still use: its number could be reused under it.
            LOG.log(System.Logger.Level.ERROR, "control: {0}: a stream writer did not stop; leaving fd={1} open",
                    name, Integer.toString(stream.fd()));
        }
        server.removed(this);
    }

    /** Server shutdown, step 1: every stream ends with {"end":"shutdown"}. */
    void endStreams(String reason) {
        stopping = true;
        for (StreamWriter w : streams.values()) {
            w.cancel(reason);
        }
    }

    /** Server shutdown, step 2: waits up to {@code millis} for the streams' last lines. */
    void awaitStreams(long deadline) {
        for (StreamWriter w : List.copyOf(streams.values())) {
            w.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
    }

    /** Server shutdown, step 3: wakes every thread of this connection; it then closes itself. */
    void disconnect() {
        stopping = true;
        stream.shutdown();
    }

    @Override
    public void oversized() throws IOException {
        server.countError();
        stream.write(Protocol.error(NullNode.instance, ErrorCode.LINE_TOO_LONG,
                "request line exceeds limit=" + server.options().maxLineBytes()
                        + " bytes; it was discarded up to its newline", List.of()));
    }

    @Override
    public void line(byte[] buf, int length) throws IOException {
        if (isBlank(buf, length)) {
            return; // not a request: blank lines do not keep an idle connection open
        }
        lastRequestNanos = System.nanoTime();
        server.countRequest();
        JsonNode id = NullNode.instance;
        String cmd = null;
        try {
            ObjectNode request = parse(buf, length);
            JsonNode rawId = request.get("id");
            id = rawId == null ? NullNode.instance : rawId;
            cmd = validate(request);
            JsonNode rawArgs = request.get("args");
            Args args = new Args(cmd, rawArgs == null || rawArgs.isNull()
                    ? Protocol.JSON.createObjectNode() : (ObjectNode) rawArgs);
            dispatch(id, cmd, args);
        } catch (RequestException e) {
            server.countError();
            stream.write(Protocol.error(id, e.code(), e.getMessage(), e.details()));
        } catch (SensorException e) {
            server.countError();
            LOG.log(System.Logger.Level.DEBUG, "control: {0}: cmd={1}: {2}", name, cmd, e.getMessage());
            stream.write(Protocol.error(id, e.code(), e.getMessage(), e.details()));
        } catch (RuntimeException e) {
            server.countError();
            LOG.log(System.Logger.Level.WARNING, "control: " + name + ": cmd=" + cmd + " failed in the sensor", e);
            // The stack trace is in the sensor's log; the client gets no Java class name.
            stream.write(Protocol.error(id, ErrorCode.SENSOR_ERROR, "cmd=" + cmd + " failed in the sensor: "
                    + (e.getMessage() == null ? "an internal error" : e.getMessage()) + " (the sensor's log has the"
                    + " details)", List.of()));
        }
    }

    private ObjectNode parse(byte[] buf, int length) throws RequestException {
        JsonNode node;
        try {
            node = Protocol.JSON.readTree(buf, 0, length);
        } catch (IOException e) {
            String detail = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
            JsonLocation at = e instanceof JacksonException j ? j.getLocation() : null;
            throw new RequestException(ErrorCode.MALFORMED_JSON, "request is not valid JSON: "
                    + firstLine(detail) + (at == null || at.getColumnNr() < 1 ? "" : " (column " + at.getColumnNr() + ")"));
        }
        if (node == null || !node.isObject()) {
            throw new RequestException(ErrorCode.INVALID_REQUEST, "a request must be a JSON object such as"
                    + " {\"v\":1,\"id\":1,\"cmd\":\"status\"}");
        }
        return (ObjectNode) node;
    }

    /** Checks v, cmd and args; returns cmd. */
    private String validate(ObjectNode request) throws RequestException {
        for (Iterator<String> it = request.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!REQUEST_FIELDS.contains(field)) {
                throw new RequestException(ErrorCode.INVALID_REQUEST, "unknown request field '" + field
                        + "': a request has v, id, cmd and args");
            }
        }
        JsonNode v = request.get("v");
        if (v == null || v.isNull()) {
            throw new RequestException(ErrorCode.INVALID_REQUEST, "v is required: the protocol version, "
                    + Protocol.VERSION);
        }
        if (!v.isIntegralNumber()) {
            throw new RequestException(ErrorCode.INVALID_REQUEST, "v must be an integer (the protocol version, "
                    + Protocol.VERSION + "), got " + Args.kind(v));
        }
        if (!v.canConvertToInt() || v.intValue() != Protocol.VERSION) {
            throw new RequestException(ErrorCode.UNSUPPORTED_VERSION, "protocol version v=" + v
                    + " is not supported: this sensor speaks v=" + Protocol.VERSION);
        }
        JsonNode cmd = request.get("cmd");
        if (cmd == null || !cmd.isTextual()) {
            throw new RequestException(ErrorCode.INVALID_REQUEST, "cmd must be a string naming a command, got "
                    + (cmd == null ? "nothing" : Args.kind(cmd)));
        }
        JsonNode args = request.get("args");
        if (args != null && !args.isNull() && !args.isObject()) {
            throw new RequestException(ErrorCode.INVALID_REQUEST, "args must be an object, got " + Args.kind(args));
        }
        String name = cmd.textValue();
        if (!server.commands().handles(name) && !Commands.CONNECTION_COMMANDS.contains(name)) {
            throw new RequestException(ErrorCode.UNKNOWN_COMMAND, "unknown command cmd=" + name
                    + "; the commands are: " + String.join(", ", server.commands().names()));
        }
        return name;
    }

    private void dispatch(JsonNode id, String cmd, Args args) throws RequestException, IOException {
        switch (cmd) {
            case "alerts" -> startAlerts(id, args);
            case "events" -> startEvents(id, args);
            case "cancel" -> cancel(id, args);
            case "shutdown" -> shutdown(id, args);
            default -> {
                Object result = server.commands().call(cmd, args);
                stream.write(Protocol.ok(id, result));
            }
        }
    }

    private void startAlerts(JsonNode id, Args args) throws RequestException {
        String since = args.optionalString("since");
        boolean follow = args.optionalBoolean("follow", false);
        args.done();
        long sinceMillis = -1;
        if (since != null) {
            try {
                Duration d = Durations.parse(since);
                sinceMillis = server.hub().now() - d.toMillis();
            } catch (IllegalArgumentException e) {
                throw args.invalid("args.since: " + e.getMessage());
            }
        } else if (!follow) {
            sinceMillis = 0; // without --since and --follow: every alert still in memory
        }
        checkStreamSlot(id);
        SubscriberHub hub = server.hub();
        if (follow) {
            Subscription s = hub.subscribeAlerts(sinceMillis, owner());
            start(new StreamWriter(this, id, s, s.replay(), true, EventFilter.none(), "alerts"));
        } else {
            start(new StreamWriter(this, id, null, hub.recentAlerts(sinceMillis), false, EventFilter.none(), "alerts"));
        }
    }

    private void startEvents(JsonNode id, Args args) throws RequestException {
        boolean follow = args.optionalBoolean("follow", false);
        List<String> filters = args.optionalStringList("filter");
        int history = server.hub().options().eventHistory();
        long last = args.optionalLong("last", follow ? 0 : history, 0, history);
        args.done();
        if (follow && args.optionalRaw("last") != null && last > 0) {
            throw args.invalid("args.last applies to recent events only: it cannot be combined with follow");
        }
        EventFilter filter;
        try {
            filter = EventFilter.parse(filters);
        } catch (IllegalArgumentException e) {
            throw args.invalid("args.filter: " + e.getMessage());
        }
        checkStreamSlot(id);
        SubscriberHub hub = server.hub();
        if (follow) {
            start(new StreamWriter(this, id, hub.subscribeEvents(owner()), List.of(), true, filter, "events"));
        } else {
            start(new StreamWriter(this, id, null, hub.recentEvents((int) last), false, filter, "events"));
        }
    }

    private void cancel(JsonNode id, Args args) throws RequestException, IOException {
        JsonNode target = args.requireRaw("stream", "the id of the stream request to cancel");
        args.done();
        StreamWriter w = streams.get(target);
        if (w != null) {
            w.cancel("cancelled");
        }
        stream.write(Protocol.ok(id, Map.of("cancelled", w != null)));
    }

    private void shutdown(JsonNode id, Args args) throws RequestException, IOException {
        args.done();
        LOG.log(System.Logger.Level.INFO, "control: shutdown requested by {0}", peer);
        stream.write(Protocol.ok(id, Map.of("stopping", true)));
        server.requestShutdown();
    }

    private void checkStreamSlot(JsonNode id) throws RequestException {
        if (stopping) {
            throw new RequestException(ErrorCode.BUSY, "the sensor is shutting down");
        }
        if (streams.containsKey(id)) {
            throw new RequestException(ErrorCode.INVALID_REQUEST, "id=" + id
                    + " is already used by an active stream on this connection; give each stream its own id");
        }
        if (streams.size() >= server.options().maxStreamsPerConnection()) {
            throw new RequestException(ErrorCode.BUSY, "too many streams on this connection: limit="
                    + server.options().maxStreamsPerConnection() + "; cancel one or open another connection");
        }
    }

    private void start(StreamWriter w) {
        streams.put(w.id, w);
        w.thread.start();
    }

    UnixStream stream() {
        return stream;
    }

    SubscriberHub hub() {
        return server.hub();
    }

    /** A stream writer has finished. */
    void ended(StreamWriter w) {
        streams.remove(w.id, w);
    }

    private String owner() {
        return "uid=" + peer.uid() + " pid=" + peer.pid();
    }

    private static boolean isBlank(byte[] buf, int length) {
        for (int i = 0; i < length; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
