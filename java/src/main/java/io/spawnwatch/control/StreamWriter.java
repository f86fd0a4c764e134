package io.spawnwatch.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one stream of a {@link Connection} on its own platform thread: the
 * replay, then (when following) the subscription's queue, with drop notices,
 * then the answer line that says why the stream ended. Only this thread takes
 * from the queue; a client that does not read blocks this thread alone.
 */
final class StreamWriter implements Runnable {
    private static final System.Logger LOG = System.getLogger("io.spawnwatch.control");
    private static final long IDLE_PARK_MILLIS = 250;

    private final Connection connection;
    private final UnixStream stream;
    final JsonNode id;
    final Subscription subscription;
    final List<byte[]> replay;
    final boolean follow;
    final EventFilter filter;
    final String kind;
    final Thread thread;
    private volatile String endReason;
    private long delivered;
    private long reportedDrops;

    StreamWriter(Connection connection, JsonNode id, Subscription subscription, List<byte[]> replay,
            boolean follow, EventFilter filter, String kind) {
        this.connection = connection;
        this.stream = connection.stream();
        this.id = id;
        this.subscription = subscription;
        this.replay = replay;
        this.follow = follow;
        this.filter = filter;
        this.kind = kind;
        this.thread = Thread.ofPlatform().daemon().name(connection.name() + " " + kind + " id=" + id).unstarted(this);
    }

    void cancel(String reason) {
        if (endReason == null) {
            endReason = reason;
        }
        if (subscription != null) {
            subscription.close();
        }
    }

    void join(long millis) {
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        byte[] prefix = Protocol.streamPrefix(id);
        try {
            for (byte[] doc : replay) {
                if (endReason != null) {
                    break;
                }
                send(prefix, doc);
            }
            while (follow && endReason == null) {
                byte[] doc = subscription.poll();
                if (doc == null) {
                    reportDrops();
                    subscription.await(IDLE_PARK_MILLIS);
                    continue;
                }
                reportDrops();
                send(prefix, doc);
            }
            if (subscription != null) {
                reportDrops();
            }
            String reason = endReason == null ? "complete" : endReason;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("end", reason);
            result.put("delivered", delivered);
            result.put("dropped", subscription == null ? 0 : subscription.dropped());
            stream.write(Protocol.ok(id, result));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "control: {0}: {1} stream id={2} ended: {3}", connection.name(), kind, id,
                    e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "control: " + connection.name() + ": " + kind + " stream failed", e);
        } finally {
            if (subscription != null) {
                connection.hub().unsubscribe(subscription);
            }
            connection.ended(this);
        }
    }

    private void send(byte[] prefix, byte[] doc) throws IOException {
        if (!filter.isEmpty() && !matches(doc)) {
            return;
        }
        stream.write(prefix, oneLine(doc), Protocol.streamSuffix());
        delivered++;
    }

    private boolean matches(byte[] doc) {
        try {
            return filter.test(Protocol.JSON.readTree(doc));
        } catch (IOException e) {
            return false;
        }
    }

    private void reportDrops() throws IOException {
        long total = subscription.dropped();
        if (total > reportedDrops) {
            stream.write(Protocol.droppedNotice(id, total - reportedDrops, total, subscription.capacity(), kind));
            reportedDrops = total;
        }
    }

    /**
     * The document without its trailing newline, and with any newline inside it
     * turned into a space (outside strings it is whitespace; inside a string a
     * raw newline is not valid JSON anyway), so that it stays one line.
     */
    static byte[] oneLine(byte[] doc) {
        int end = doc.length;
        while (end > 0 && (doc[end - 1] == '\n' || doc[end - 1] == '\r' || doc[end - 1] == ' ')) {
            end--;
        }
        boolean clean = true;
        for (int i = 0; i < end; i++) {
            if (doc[i] == '\n' || doc[i] == '\r') {
                clean = false;
                break;
            }
        }
        if (clean && end == doc.length) {
            return doc;
        }
        byte[] out = Arrays.copyOf(doc, end);
        for (int i = 0; i < end; i++) {
            if (out[i] == '\n' || out[i] == '\r') {
                out[i] = ' ';
            }
        }
        return out;
    }
}
