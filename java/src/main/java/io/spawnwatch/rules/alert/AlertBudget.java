package io.spawnwatch.rules.alert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounds how many alerts one rule, and one web server, may raise per window of
 * event time, so that an attacker who runs 20,000 unique command lines under a
 * web server gets a few hundred alerts and a count, not 71 MB of output.
 *
 * <p>Windows are fixed (they open with the first alert and last {@code window});
 * an alert over either bound is held back and counted. When a window that held
 * alerts back has ended, {@link #due} hands out one {@link Summary} with the
 * count, which the engine sends as an alert of its own. Web servers are keyed
 * by their lineage root pid; at most {@code maxServers} are tracked (least
 * recently alerting forgotten, counted in {@link #evictions}). Callers synchronise.
 */
public final class AlertBudget {
    /** What was held back in one window, for the summary alert. */
    public record Summary(String scope, String ruleId, long rootPid, String subject, long heldBack,
            long windowStartNanos) {
        /** "rule" or "web server". */
        public boolean perRule() {
            return scope.equals("rule");
        }
    }

    private static final class Window {
        final String ruleId;
        final long rootPid;
        String subject;
        long start;
        int admitted;
        long held;

        Window(String ruleId, long rootPid) {
            this.ruleId = ruleId;
            this.rootPid = rootPid;
        }
    }

    private final int perRule;
    private final int perWebServer;
    private final long windowNanos;
    private final int maxServers;
    private final Map<String, Window> rules = new HashMap<>();
    private final Map<Long, Window> servers;
    private long heldByRule;
    private long heldByServer;
    private long evictions;
    private long earliestDue = Long.MAX_VALUE;

    /**
     * @param perRule alerts one rule may raise per window (at least 1)
     * @param perWebServer alerts all rules together may raise per window for one web server
     * @param windowNanos the window length, in nanoseconds of event time
     * @param maxServers web servers tracked at once
     */
    public AlertBudget(int perRule, int perWebServer, long windowNanos, int maxServers) {
        if (perRule < 1 || perWebServer < 1 || windowNanos < 1 || maxServers < 1) {
            throw new IllegalArgumentException("alert bounds must be positive: perRule=" + perRule
                    + " perWebServer=" + perWebServer + " windowNanos=" + windowNanos + " maxServers=" + maxServers);
        }
        this.perRule = perRule;
        this.perWebServer = perWebServer;
        this.windowNanos = windowNanos;
        this.maxServers = maxServers;
        this.servers = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Window> eldest) {
                if (size() > AlertBudget.this.maxServers) {
                    evictions++;
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * Takes one alert from both budgets, or holds it back (and counts it) when
     * either is spent.
     *
     * @param rootPid the web server (lineage root) the event descends from, or a negative number for none
     * @param serverName its name, used in the summary (read only when the bound is hit)
     * @return true when the alert may be sent
     */
    public boolean admit(String ruleId, String ruleTitle, long rootPid, CharSequence serverName, long nowNanos) {
        Window r = rules.computeIfAbsent(ruleId, id -> new Window(id, -1));
        Window s = servers.computeIfAbsent(rootPid, pid -> new Window(null, pid));
        roll(r, nowNanos);
        roll(s, nowNanos);
        if (r.admitted >= perRule) {
            if (r.held++ == 0) {
                r.subject = "rule " + ruleTitle + " (" + ruleId + ")";
                due(r);
            }
            heldByRule++;
            return false;
        }
        if (s.admitted >= perWebServer) {
            if (s.held++ == 0) {
                s.subject = "web server " + serverName + " (pid " + rootPid + ")";
                due(s);
            }
            heldByServer++;
            return false;
        }
        r.admitted++;
        s.admitted++;
        return true;
    }

    /** Windows that ended having held alerts back; each is returned once, then starts afresh. */
    public List<Summary> due(long nowNanos) {
        if (nowNanos < earliestDue) {
            return List.of();
        }
        List<Summary> out = new ArrayList<>();
        earliestDue = Long.MAX_VALUE;
        collect(rules.values(), "rule", nowNanos, out);
        collect(servers.values(), "web server", nowNanos, out);
        return out;
    }

    /** Alerts held back by the per-rule bound since start. */
    public long heldByRule() {
        return heldByRule;
    }

    /** Alerts held back by the per-web-server bound since start. */
    public long heldByWebServer() {
        return heldByServer;
    }

    /** Web servers forgotten under the {@code maxServers} bound (their windows start afresh). */
    public long evictions() {
        return evictions;
    }

    private void collect(Iterable<Window> windows, String scope, long now, List<Summary> out) {
        for (Window w : windows) {
            if (w.held == 0) {
                continue;
            }
            if (now - w.start >= windowNanos) {
                out.add(new Summary(scope, w.ruleId, w.rootPid, w.subject, w.held, w.start));
                w.held = 0;
            } else {
                earliestDue = Math.min(earliestDue, w.start + windowNanos);
            }
        }
    }

    private void due(Window w) {
        earliestDue = Math.min(earliestDue, w.start + windowNanos);
    }

    private void roll(Window w, long now) {
        if (w.admitted == 0 && w.held == 0) {
            w.start = now;
        } else if (now - w.start >= windowNanos && w.held == 0) {
            w.start = now;
            w.admitted = 0;
        }
    }
}
