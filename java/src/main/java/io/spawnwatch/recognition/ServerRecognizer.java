package io.spawnwatch.recognition;

import io.spawnwatch.config.SensorConfig;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.event.EventType;
import io.spawnwatch.event.ExecRecord;
import io.spawnwatch.event.ProcessDescriptor;
import io.spawnwatch.event.ProcessRecord;
import io.spawnwatch.event.SegmentText;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import io.spawnwatch.error.BpfException;
import io.spawnwatch.kernel.ServerCommandLines;
import io.spawnwatch.kernel.WebServerNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides which server candidates the kernel sends up become lineage roots,
 * and makes them roots in the kernel's lineage map (depth 0: the server
 * itself, so that an exec in place keeps it followed).
 *
 * <ul>
 * <li>A process that starts listening on TCP: a root when its name (comm) is
 * one of {@code webservers.runtimes} or {@code webservers.names}, unless it
 * is one of {@code webservers.never}.
 * <li>An interpreter's exec (only interpreters are sent alone): a root when
 * its own arguments ({@link OwnArguments}) contain one of
 * {@code webservers.server_command_lines}, for servers whose socket is
 * inherited and which therefore never listen themselves.
 * </ul>
 *
 * Called on the ring reader thread; the counters are read from others.
 */
public final class ServerRecognizer {
    private static final System.Logger LOG = System.getLogger(ServerRecognizer.class.getName());

    /** Where roots go: the kernel's lineage map in the sensor, a list in tests. */
    @FunctionalInterface
    public interface RootSink {
        void addRoot(int pid, long startBootNanos) throws BpfException;
    }

    private final SegmentText text = new SegmentText();
    private final RootSink sink;
    private final Roots roots;
    private final List<String> names;
    private final List<String> runtimes;
    private final List<String> never;
    private final ServerCommandLines serverLines;

    private final AtomicLong listenRoots = new AtomicLong();
    private final AtomicLong listenIgnored = new AtomicLong();
    private final AtomicLong commandLineRoots = new AtomicLong();
    private final AtomicLong candidatesIgnored = new AtomicLong();
    private final AtomicLong rootFailures = new AtomicLong();

    public ServerRecognizer(SensorConfig.WebServers config, RootSink sink, Roots roots) {
        this.sink = sink;
        this.roots = roots;
        this.names = List.copyOf(config.names());
        this.runtimes = List.copyOf(config.runtimes());
        this.never = List.copyOf(config.never());
        this.serverLines = new ServerCommandLines(config.serverCommandLines());
    }

    /**
     * A process not in the lineage started listening on {@code port}. Returns
     * true when it became a root.
     */
    public boolean onListen(int pid, long startBootNanos, String comm, int port) {
        String why = listenReason(comm);
        if (why == null) {
            listenIgnored.incrementAndGet();
            return false;
        }
        if (makeRoot(pid, startBootNanos, comm, why + ", listening on TCP port " + port)) {
            listenRoots.incrementAndGet();
            return true;
        }
        return false;
    }

    /** Why a listener of this name is a web server, or null when it is not one. */
    public String listenReason(String comm) {
        if (WebServerNames.matches(never, comm)) {
            return null;
        }
        if (WebServerNames.matches(runtimes, comm)) {
            return "runtime " + comm;
        }
        if (WebServerNames.matches(names, comm)) {
            return "web-server name " + comm;
        }
        return null;
    }

    /**
     * An interpreter's exec sent alone: a root when its own arguments name a
     * server. Returns true when it became one.
     */
    public boolean onInterpreterExec(int pid, long startBootNanos, String comm, List<String> argv) {
        String own = OwnArguments.of(argv);
        String fragment = serverLines.find(own);
        if (fragment == null) {
            candidatesIgnored.incrementAndGet();
            return false;
        }
        if (makeRoot(pid, startBootNanos, comm, "interpreter " + comm + " whose own arguments contain '"
                + fragment + "'")) {
            commandLineRoots.incrementAndGet();
            return true;
        }
        return false;
    }

    /**
     * The gate on the ring reader thread, before rules and output: returns
     * true when the event goes on. A candidate (an interpreter's exec sent
     * alone, a listen outside the lineage) is decided here and goes on only
     * when it made its process a root; a root's own exec is noted with why the
     * kernel made it one.
     */
    public boolean admit(EnrichedEvent ev) {
        ProcessRecord r = ev.record();
        int match = r.match();
        boolean candidate = (match & ProcessDescriptor.MATCH_CANDIDATE) != 0;
        if (ev.type() == EventType.LISTEN) {
            if (candidate) {
                onListen(r.pid(), r.startBootNanos(), r.comm(text).toString(), ev.listen().port());
                return false; // outside the lineage: no event, whatever was decided
            }
            return true;
        }
        if (ev.type() != EventType.EXEC) {
            return true;
        }
        if (candidate) {
            return onInterpreterExec(r.pid(), r.startBootNanos(), r.comm(text).toString(), args(ev.exec()));
        }
        if (r.lineageDepth() == 0 && r.lineageRoot() == r.pid() && !roots.contains(r.pid(), r.startBootNanos())) {
            String comm = r.comm(text).toString();
            roots.add(r.pid(), r.startBootNanos(), comm, (match & ProcessDescriptor.MATCH_WEB_USER) != 0
                    ? "web-server uid " + r.uid() : "web-server name " + comm);
        }
        return true;
    }

    private static List<String> args(ExecRecord e) {
        List<String> out = new ArrayList<>();
        int len = e.argsLength();
        int start = 0;
        for (int i = 0; i <= len; i++) {
            if (i == len || e.segment().get(ValueLayout.JAVA_BYTE, e.argsOffset() + i) == 0) {
                if (i > start) {
                    byte[] b = e.segment().asSlice(e.argsOffset() + start, i - start).toArray(ValueLayout.JAVA_BYTE);
                    out.add(new String(b, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** Notes a root the kernel made by itself (name or uid), so that status can list it. */
    public void noteKernelRoot(int pid, long startBootNanos, String comm, String reason) {
        roots.add(pid, startBootNanos, comm, reason);
    }

    private boolean makeRoot(int pid, long startBootNanos, String comm, String reason) {
        try {
            sink.addRoot(pid, startBootNanos);
        } catch (BpfException e) {
            rootFailures.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "cannot follow pid " + pid + " (" + comm + ") as a web server: "
                    + e.getMessage());
            return false;
        }
        roots.add(pid, startBootNanos, comm, reason);
        LOG.log(System.Logger.Level.INFO, "following pid " + pid + " (" + comm + ") as a web server: " + reason);
        return true;
    }

    public Roots roots() {
        return roots;
    }

    /** name=value counters for the sensor's stats. */
    public List<Counter> counters() {
        List<Counter> out = new ArrayList<>();
        out.add(new Counter("roots_by_listen", listenRoots.get()));
        out.add(new Counter("listeners_not_web", listenIgnored.get()));
        out.add(new Counter("roots_by_command_line", commandLineRoots.get()));
        out.add(new Counter("interpreters_ignored", candidatesIgnored.get()));
        out.add(new Counter("root_failures", rootFailures.get()));
        out.add(new Counter("roots_forgotten", roots.forgotten()));
        return out;
    }

    /** One named counter. */
    public record Counter(String name, long value) {}
}
