package io.spawnwatch.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sensor's control socket: a Unix stream socket speaking
 * {@linkplain Protocol one JSON object per line}, for the {@code spawnwatch} CLI
 * and scripts.
 *
 * <p>Access: each connection's peer credentials are read with SO_PEERCRED (and
 * SO_PEERGROUPS) as numbers from the kernel; only root and the uids/gids of the
 * {@link AccessPolicy} may talk; anyone else gets one {@code forbidden} line, is
 * closed, and the refusal is logged. The socket file (mode 0600 by default, in
 * a directory created 0750) is the first gate; the credential check holds even
 * when the file mode is opened up for a group.
 *
 * <p>Threads: one platform acceptor thread, one platform thread per connection
 * and one per stream. The sensor's event path never waits for any of them: it
 * only offers documents to {@link SubscriberHub} queues.
 *
 * <pre>{@code
 * SubscriberHub hub = new SubscriberHub(SubscriberHub.Options.defaults());
 * ControlServer server = ControlServer.start(ControlServer.Options.defaults()
 *         .withSocket(socketPath).withAccess(AccessPolicy.resolve(users, groups)), sensorControl, hub);
 * ...  hub.publishAlert(line); hub.publishEvent(line);   // from the event path
 * server.close();                                        // on SIGTERM, before detaching the hooks
 * }</pre>
 */
public final class ControlServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.spawnwatch.control");
    private static final long STREAM_END_GRACE_MILLIS = 1000;
    private static final long JOIN_MILLIS = 2000;

    /**
     * @param socket where to listen
     * @param access who may connect besides root
     * @param directoryMode mode of the socket's directory when the server creates it
     * @param socketMode mode of the socket file
     * @param socketGroup gid given to the socket file and a created directory, or -1 to keep root's
     * @param maxLineBytes longest request line
     * @param maxConnections connections served at once; more get {@code busy}. The last
     *     {@link #ROOT_RESERVED} are for root only, so that other allowed users cannot take them all
     * @param maxStreamsPerConnection streams (alerts/events) per connection
     * @param idleTimeoutMillis a connection that sends no complete request for this long, and follows no
     *     stream, gets {@code idle_timeout} and is closed
     */
    public record Options(Path socket, AccessPolicy access, int directoryMode, int socketMode, long socketGroup,
            int maxLineBytes, int maxConnections, int maxStreamsPerConnection, long idleTimeoutMillis) {
        /** Connections only root may take: what an allowed non-root user can never fill. */
        public static final int ROOT_RESERVED = 8;

        /** /run/spawnwatch/spawnwatch.sock */
        public static final Path DEFAULT_SOCKET = Path.of("/run/spawnwatch/spawnwatch.sock");

        public Options {
            if (socket == null || access == null) {
                throw new IllegalArgumentException("control options: socket and access are required");
            }
            if ((directoryMode & ~07777) != 0 || (socketMode & ~07777) != 0) {
                throw new IllegalArgumentException("control options: modes must be permission bits: directoryMode="
                        + Integer.toOctalString(directoryMode) + " socketMode=" + Integer.toOctalString(socketMode));
            }
            if (maxLineBytes < 256 || maxConnections <= ROOT_RESERVED || maxStreamsPerConnection < 1
                    || idleTimeoutMillis < 1) {
                throw new IllegalArgumentException("control options out of range: maxLineBytes=" + maxLineBytes
                        + " (min 256) maxConnections=" + maxConnections + " (min " + (ROOT_RESERVED + 1)
                        + ") maxStreamsPerConnection=" + maxStreamsPerConnection + " idleTimeoutMillis="
                        + idleTimeoutMillis);
            }
        }

        /**
         * Default socket, root only, directory 0700, socket 0600, 64 KiB lines, 128 connections, 8 streams
         * each, 10 s idle timeout.
         */
        public static Options defaults() {
            return new Options(DEFAULT_SOCKET, AccessPolicy.rootOnly(), 0700, 0600, -1, Protocol.DEFAULT_MAX_LINE,
                    128, 8, 10_000);
        }

        public Options withIdleTimeoutMillis(long millis) {
            return new Options(socket, access, directoryMode, socketMode, socketGroup, maxLineBytes, maxConnections,
                    maxStreamsPerConnection, millis);
        }

        public Options withSocket(Path p) {
            return new Options(p, access, directoryMode, socketMode, socketGroup, maxLineBytes, maxConnections,
                    maxStreamsPerConnection, idleTimeoutMillis);
        }

        public Options withAccess(AccessPolicy a) {
            return new Options(socket, a, directoryMode, socketMode, socketGroup, maxLineBytes, maxConnections,
                    maxStreamsPerConnection, idleTimeoutMillis);
        }

        /** E.g. {@code withModes(0750, 0660)} together with {@link #withSocketGroup} to let a group in. */
        public Options withModes(int directory, int socketFile) {
            return new Options(socket, access, directory, socketFile, socketGroup, maxLineBytes, maxConnections,
                    maxStreamsPerConnection, idleTimeoutMillis);
        }

        public Options withSocketGroup(long gid) {
            return new Options(socket, access, directoryMode, socketMode, gid, maxLineBytes, maxConnections,
                    maxStreamsPerConnection, idleTimeoutMillis);
        }

        public Options withMaxLineBytes(int n) {
            return new Options(socket, access, directoryMode, socketMode, socketGroup, n, maxConnections,
                    maxStreamsPerConnection, idleTimeoutMillis);
        }

        public Options withMaxConnections(int n) {
            return new Options(socket, access, directoryMode, socketMode, socketGroup, maxLineBytes, n,
                    maxStreamsPerConnection, idleTimeoutMillis);
        }
    }

    private final Options options;
    private final UnixListener listener;
    private final SensorControl sensor;
    private final SubscriberHub hub;
    private final Commands commands;
    private final Thread acceptor;
    private final Set<Connection> connections = new LinkedHashSet<>();
    private final List<Thread> connectionThreads = new ArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong idleClosed = new AtomicLong();
    private volatile AccessPolicy access;
    private boolean closed; // guarded by connections

    private ControlServer(Options options, UnixListener listener, SensorControl sensor, SubscriberHub hub) {
        this.options = options;
        this.listener = listener;
        this.sensor = sensor;
        this.hub = hub;
        this.access = options.access();
        this.commands = new Commands(sensor, this::controlStatus);
        this.acceptor = Thread.ofPlatform().daemon().name("spawnwatch-control-accept").unstarted(this::acceptLoop);
    }

    /**
     * A socket bound and listening but not yet served. The daemon claims it before the BPF programs load
     * (a second of work and a kernel change), so that a second sensor on the same socket stops at once;
     * a client that connects meanwhile waits in the listen backlog until {@link #start(Claim, SensorControl,
     * SubscriberHub)}. Closing a claim that was not started removes the socket file.
     */
    public static final class Claim implements AutoCloseable {
        private final Options options;
        private final UnixListener listener;
        private boolean started;

        private Claim(Options options, UnixListener listener) {
            this.options = options;
            this.listener = listener;
        }

        /** The socket's absolute path. */
        public Path socket() {
            return listener.path();
        }

        @Override
        public synchronized void close() {
            if (!started) {
                listener.close();
            }
        }
    }

    /**
     * Binds and listens on {@code options.socket()}, without serving it yet.
     *
     * @throws IOException when the socket cannot be created, e.g. another sensor listens on it, or the path
     *     exists and is not a socket; the message is one line that starts with "control: " and says what to do
     */
    public static Claim claim(Options options) throws IOException {
        return new Claim(options, UnixListener.open(options.socket(), options.directoryMode(), options.socketMode(),
                options.socketGroup()));
    }

    /** Starts serving a claimed socket. */
    public static ControlServer start(Claim claim, SensorControl sensor, SubscriberHub hub) {
        synchronized (claim) {
            claim.started = true;
        }
        Options options = claim.options;
        ControlServer server = new ControlServer(options, claim.listener, sensor, hub);
        server.acceptor.start();
        LOG.log(System.Logger.Level.INFO, "control: listening on socket={0} (mode {1}, allowed: root {2})",
                claim.listener.path(), Integer.toOctalString(options.socketMode()), options.access());
        return server;
    }

    /**
     * Listens on {@code options.socket()} and starts accepting.
     *
     * @throws IOException as {@link #claim(Options)}
     */
    public static ControlServer start(Options options, SensorControl sensor, SubscriberHub hub) throws IOException {
        return start(claim(options), sensor, hub);
    }

    /** The socket's absolute path. */
    public Path socket() {
        return listener.path();
    }

    public Options options() {
        return options;
    }

    /** Replaces the access policy (configuration reload); applies to new connections. */
    public void setAccess(AccessPolicy policy) {
        this.access = policy;
    }

    /** Connections open now. */
    public int connections() {
        synchronized (connections) {
            return connections.size();
        }
    }

    /** Connections refused since start (forbidden or busy). */
    public long refused() {
        return refused.get();
    }

    SubscriberHub hub() {
        return hub;
    }

    Commands commands() {
        return commands;
    }

    void countRequest() {
        requests.incrementAndGet();
    }

    void countError() {
        errors.incrementAndGet();
    }

    void countIdleClosed() {
        idleClosed.incrementAndGet();
    }

    /** The server's own section of status and stats. */
    ObjectNode controlStatus() {
        ObjectNode c = Protocol.JSON.createObjectNode();
        c.put("socket", listener.path().toString());
        c.put("connections", connections());
        c.put("accepted", accepted.get());
        c.put("refused", refused.get());
        c.put("requests", requests.get());
        c.put("errors", errors.get());
        c.put("idle_closed", idleClosed.get());
        c.put("subscriber_drops", hub.droppedTotal());
        c.set("subscribers", Protocol.JSON.valueToTree(hub.subscribers()));
        return c;
    }

    void requestShutdown() {
        // Its own thread: the daemon may close this server from shutdown(), which joins connection threads.
        Thread.ofPlatform().name("spawnwatch-control-shutdown").start(() -> {
            try {
                sensor.shutdown();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "control: the sensor failed to begin its shutdown", e);
            }
        });
    }

    void removed(Connection c) {
        synchronized (connections) {
            connections.remove(c);
        }
    }

    private void acceptLoop() {
        long number = 0;
        while (true) {
            int fd;
            try {
                fd = listener.accept();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "control: no longer accepting connections: " + e.getMessage(), e);
                return;
            }
            if (fd < 0) {
                return;
            }
            UnixStream stream = new UnixStream(fd);
            PeerCredentials peer;
            try {
                peer = PeerCredentials.of(fd);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "control: dropped a connection: " + e.getMessage());
                stream.close();
                continue;
            }
            AccessPolicy policy = access;
            if (!policy.allows(peer)) {
                refused.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "control: refused {0} on socket={1}: not root and not allowed"
                        + " by the configuration ({2})", peer, listener.path(), policy);
                refuse(stream, ErrorCode.FORBIDDEN, "uid=" + peer.uid() + " is not allowed: only root and the users"
                        + " and groups the sensor's configuration names may use this socket");
                continue;
            }
            Connection c = new Connection(this, stream, peer, ++number);
            synchronized (connections) {
                // The last ROOT_RESERVED slots are root's: other allowed users cannot take them all.
                int limit = peer.uid() == 0 ? options.maxConnections()
                        : options.maxConnections() - Options.ROOT_RESERVED;
                if (closed || connections.size() >= limit) {
                    refused.incrementAndGet();
                    LOG.log(System.Logger.Level.WARNING, "control: refused {0}: {1}", peer,
                            closed ? "shutting down" : "connections=" + connections.size() + " is the limit for"
                                    + (peer.uid() == 0 ? " root" : " non-root peers"));
                    refuse(stream, ErrorCode.BUSY, closed ? "the sensor is shutting down"
                            : "too many connections: limit=" + limit + "; try again later");
                    continue;
                }
                connections.add(c);
                accepted.incrementAndGet();
                connectionThreads.removeIf(t -> !t.isAlive());
                connectionThreads.add(Thread.ofPlatform().daemon().name(c.name()).start(c));
            }
            LOG.log(System.Logger.Level.DEBUG, "control: accepted {0}", peer);
        }
    }

    /** One error line, sent without blocking, then close: a refused peer can never hold the acceptor. */
    private static void refuse(UnixStream stream, ErrorCode code, String message) {
        try {
            stream.drainNonBlocking(Protocol.DEFAULT_MAX_LINE);
            stream.trySend(Protocol.error(null, code, message, List.of()));
            stream.shutdownOutput();
        } finally {
            stream.close();
        }
    }

    /**
     * Stops accepting, ends every stream with {"end":"shutdown"}, closes every
     * connection and removes the socket file. Waits a few seconds at most.
     */
    @Override
    public void close() {
        List<Connection> open;
        List<Thread> threads;
        synchronized (connections) {
            if (closed) {
                return;
            }
            closed = true;
            open = List.copyOf(connections);
            threads = List.copyOf(connectionThreads);
        }
        listener.shutdown();
        join(acceptor, JOIN_MILLIS);
        long deadline = System.currentTimeMillis() + STREAM_END_GRACE_MILLIS;
        open.forEach(c -> c.endStreams("shutdown"));
        open.forEach(c -> c.awaitStreams(deadline));
        open.forEach(Connection::disconnect);
        long joinDeadline = System.currentTimeMillis() + JOIN_MILLIS;
        for (Thread t : threads) {
            if (t != Thread.currentThread()) {
                join(t, Math.max(1, joinDeadline - System.currentTimeMillis()));
            }
        }
        listener.close();
        LOG.log(System.Logger.Level.INFO, "control: closed socket={0}", listener.path());
    }

    private static void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
