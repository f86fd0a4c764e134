package io.spawnwatch.control;

import io.spawnwatch.incident.IncidentSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory sensor that behaves as the real one must: idempotent adds,
 * not_found on missing entries, atomic rule reload (a bad set leaves the
 * running rules untouched and reports every error).
 */
public final class FakeSensorControl implements SensorControl {
    /** Users the fake's "passwd" knows. */
    private static final Map<String, Long> PASSWD = Map.of("www-data", 33L, "apache", 48L, "nobody", 65534L);

    private final Map<String, RuleDetail> rules = new LinkedHashMap<>();
    private final Map<String, WebServer> webServers = new LinkedHashMap<>();
    private final Map<Long, WebUser> users = new LinkedHashMap<>();
    private final Map<String, AlertException> exceptions = new LinkedHashMap<>();
    private final AtomicInteger exceptionIds = new AtomicInteger();
    private final CountDownLatch shutdown = new CountDownLatch(1);
    /** What the next reload finds on disk: rules, or errors. */
    private List<RuleDetail> nextRules = List.of();
    private List<String> nextErrors = List.of();
    /** When set, status() throws it (a sensor-side failure). */
    private volatile RuntimeException statusFailure;

    public FakeSensorControl() {
        rule("web-shell-spawn", "Web server spawns a shell", "high", true);
        rule("tmp-exec", "Execution from /tmp by a web server descendant", "high", true);
        rule("rare-child", "Rare child of a web server", "medium", false);
        webServers.put("nginx", new WebServer("nginx", false, "builtin"));
        webServers.put("php-fpm", new WebServer("php-fpm", true, "builtin"));
        users.put(33L, new WebUser(33, "www-data", "builtin"));
    }

    private void rule(String id, String title, String level, boolean enabled) {
        rules.put(id, new RuleDetail(id, title, level, enabled, "builtin", title + ".", List.of("attack.t1505.003"),
                "title: " + title + "\nid: " + id + "\n"));
    }

    public synchronized void nextReload(List<RuleDetail> ok, List<String> errors) {
        this.nextRules = List.copyOf(ok);
        this.nextErrors = List.copyOf(errors);
    }

    public void failStatusWith(RuntimeException e) {
        this.statusFailure = e;
    }

    public boolean awaitShutdown(long millis) throws InterruptedException {
        return shutdown.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized Status status() {
        if (statusFailure != null) {
            throw statusFailure;
        }
        int enabled = (int) rules.values().stream().filter(RuleDetail::enabled).count();
        return new Status("0.1.0-test", 3723, "6.18.0-test",
                List.of(new Hook("exec", "tp_btf/sched_process_exec", null),
                        new Hook("connect", "tp_btf/inet_sock_set_state",
                                "fentry/tcp_connect: EPERM (no trampolines); kprobe/tcp_connect: ENOENT")),
                16L << 20, 12.5, 0.25, new Drops(0, 2), rules.size(), enabled, "/etc/spawnwatch/spawnwatch.yml",
                0, List.of(), roots(),
                new Learning("2026-11-30T12:00:00Z", "2026-12-07T12:00:00Z", true));
    }

    @Override
    public List<Root> roots() {
        return List.of(new Root(4242, "node", "runtime node, listening on TCP port 3000", 1_764_500_000_000L));
    }

    @Override
    public synchronized Stats stats() {
        Map<String, Map<String, Long>> hooks = new LinkedHashMap<>();
        hooks.put("exec", Map.of("events", 120L));
        hooks.put("connect", Map.of("events", 7L));
        return new Stats(hooks, Map.of("web-shell-spawn", Map.of("matches", 3L)),
                Map.of("stdout", Map.of("written", 3L)));
    }

    @Override
    public synchronized List<Rule> rules() {
        return rules.values().stream().map(FakeSensorControl::summary).toList();
    }

    @Override
    public synchronized RuleDetail rule(String id) {
        RuleDetail r = rules.get(id);
        if (r == null) {
            throw new SensorException.NotFound(SensorMessages.noRule(id));
        }
        return r;
    }

    @Override
    public synchronized Rule setRuleEnabled(String id, boolean enabled) {
        RuleDetail r = rule(id);
        RuleDetail changed = new RuleDetail(r.id(), r.title(), r.level(), enabled, r.source(), r.description(),
                r.tags(), r.definition());
        rules.put(id, changed);
        return summary(changed);
    }

    @Override
    public synchronized ReloadResult reloadRules() {
        if (!nextErrors.isEmpty()) {
            throw new SensorException.Rejected(SensorMessages.refused(SensorMessages.RULES_NOT_RELOADED,
                    nextErrors.size()), nextErrors);
        }
        rules.clear();
        nextRules.forEach(r -> rules.put(r.id(), r));
        return new ReloadResult(rules.size(), (int) rules.values().stream().filter(RuleDetail::enabled).count());
    }

    @Override
    public synchronized List<WebServer> webServers() {
        return List.copyOf(webServers.values());
    }

    @Override
    public synchronized WebServer addWebServer(String name, boolean prefix) {
        String problem = io.spawnwatch.kernel.WebServerNames.validate(prefix ? name + "*" : name);
        if (problem != null) { // as the sensor checks it
            throw new SensorException.Rejected("web-server name " + problem);
        }
        return webServers.computeIfAbsent(name, n -> new WebServer(n, prefix, "runtime"));
    }

    @Override
    public synchronized WebServer removeWebServer(String name) {
        WebServer w = webServers.remove(name);
        if (w == null) {
            throw new SensorException.NotFound(SensorMessages.noWebServerName(name));
        }
        return w;
    }

    @Override
    public synchronized List<WebUser> webUsers() {
        return List.copyOf(users.values());
    }

    @Override
    public synchronized WebUser addWebUser(UserRef user) {
        long uid = resolve(user);
        String name = PASSWD.entrySet().stream().filter(e -> e.getValue() == uid).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        return users.computeIfAbsent(uid, u -> new WebUser(u, name, "runtime"));
    }

    @Override
    public synchronized WebUser removeWebUser(UserRef user) {
        long uid = resolve(user);
        WebUser u = users.remove(uid);
        if (u == null) {
            throw new SensorException.NotFound(SensorMessages.uidNotFollowed(uid));
        }
        return u;
    }

    private static long resolve(UserRef user) {
        return switch (user) {
            case UserRef.ById(long uid) -> uid;
            case UserRef.ByName(String name) -> {
                Long uid = PASSWD.get(name);
                if (uid == null) {
                    throw new SensorException.Rejected(SensorMessages.noSuchUser(name));
                }
                yield uid;
            }
        };
    }

    @Override
    public synchronized List<AlertException> exceptions() {
        return List.copyOf(exceptions.values());
    }

    @Override
    public synchronized AlertException addException(ExceptionSpec spec) {
        if (!spec.rule().equals("*") && !rules.containsKey(spec.rule())) {
            throw new SensorException.NotFound(SensorMessages.noRule(spec.rule())); // as the sensor: find() first
        }
        String id = "ex-" + exceptionIds.incrementAndGet();
        AlertException e = new AlertException(id, spec.rule(), spec.match(), spec.comment(), "2026-11-27T10:00:00Z");
        exceptions.put(id, e);
        return e;
    }

    private final Map<Long, IncidentDetail> incidents = new LinkedHashMap<>();

    /** An incident for {@code incidents.list} and {@code incidents.show} to answer with. */
    public synchronized void addIncident(IncidentDetail detail) {
        incidents.put(detail.incident().id(), detail);
    }

    @Override
    public synchronized List<IncidentSummary> incidents(Duration since) {
        List<IncidentSummary> out = new ArrayList<>();
        for (IncidentDetail d : incidents.values()) {
            if (since == null || !Instant.parse(d.incident().last()).isBefore(Instant.now().minus(since))) {
                out.add(d.incident());
            }
        }
        return out;
    }

    @Override
    public synchronized IncidentDetail incident(long id) {
        IncidentDetail d = incidents.get(id);
        if (d == null) {
            throw new SensorException.NotFound(SensorMessages.noIncident(id));
        }
        return d;
    }

    @Override
    public synchronized AlertException removeException(String id) {
        AlertException e = exceptions.remove(id);
        if (e == null) {
            throw new SensorException.NotFound(SensorMessages.noException(id));
        }
        return e;
    }

    @Override
    public void shutdown() {
        shutdown.countDown();
    }

    public synchronized List<String> ruleIds() {
        return new ArrayList<>(rules.keySet());
    }

    private static Rule summary(RuleDetail r) {
        return new Rule(r.id(), r.title(), r.level(), r.enabled(), r.source());
    }
}
