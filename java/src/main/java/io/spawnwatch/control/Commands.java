package io.spawnwatch.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spawnwatch.control.SensorControl.UserRef;
import io.spawnwatch.time.Durations;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The request/answer commands: validate {@code args}, call the sensor, shape
 * the result. Stream commands (alerts, events), cancel and shutdown belong to
 * the connection and are handled in {@link Connection}.
 */
final class Commands {
    /** Commands whose answer comes after a stream, or that act on the connection or the process. */
    static final Set<String> CONNECTION_COMMANDS = Set.of("alerts", "events", "cancel", "shutdown");

    private static final int COMM_MAX = 15;
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]{0,31}\\$?");

    @FunctionalInterface
    private interface Handler {
        Object run(Args args) throws RequestException;
    }

    private final SensorControl sensor;
    private final Supplier<ObjectNode> controlStatus;
    private final Map<String, Handler> handlers = new LinkedHashMap<>();

    Commands(SensorControl sensor, Supplier<ObjectNode> controlStatus) {
        this.sensor = sensor;
        this.controlStatus = controlStatus;
        handlers.put("status", a -> withControl(sensor.status(), a));
        handlers.put("stats", a -> withControl(sensor.stats(), a));
        handlers.put("rules.list", a -> {
            a.done();
            return Map.of("rules", sensor.rules());
        });
        handlers.put("rules.show", a -> sensor.rule(ruleId(a)));
        handlers.put("rules.enable", a -> sensor.setRuleEnabled(ruleId(a), true));
        handlers.put("rules.disable", a -> sensor.setRuleEnabled(ruleId(a), false));
        handlers.put("rules.reload", a -> {
            a.done();
            return sensor.reloadRules();
        });
        handlers.put("webservers.list", a -> {
            a.done();
            return Map.of("webservers", sensor.webServers());
        });
        handlers.put("webservers.add", a -> {
            String name = webServerName(a);
            boolean prefix = a.optionalBoolean("prefix", false);
            a.done();
            return sensor.addWebServer(name, prefix);
        });
        handlers.put("webservers.remove", a -> {
            String name = webServerName(a);
            a.done();
            return sensor.removeWebServer(name);
        });
        handlers.put("users.list", a -> {
            a.done();
            return Map.of("users", sensor.webUsers());
        });
        handlers.put("users.add", a -> sensor.addWebUser(userRef(a)));
        handlers.put("users.remove", a -> sensor.removeWebUser(userRef(a)));
        handlers.put("incidents.list", a -> {
            String since = a.optionalString("since");
            a.done();
            java.time.Duration d = null;
            if (since != null) {
                try {
                    d = Durations.parse(since);
                } catch (IllegalArgumentException e) {
                    throw a.invalid("args.since: " + e.getMessage());
                }
            }
            return Map.of("incidents", sensor.incidents(d));
        });
        handlers.put("incidents.show", a -> {
            long id = a.optionalLong("id", -1, 1, Long.MAX_VALUE);
            a.done();
            if (id < 0) {
                throw a.invalid("args.id is required: the incident's number, as `spawnwatch incidents` shows it");
            }
            return sensor.incident(id);
        });
        handlers.put("exceptions.list", a -> {
            a.done();
            return Map.of("exceptions", sensor.exceptions());
        });
        handlers.put("exceptions.add", a -> {
            String rule = nonEmpty(a, "rule");
            Map<String, String> match = a.requireStringMap("match");
            String comment = a.optionalString("comment");
            a.done();
            return sensor.addException(new SensorControl.ExceptionSpec(rule, match, comment == null ? "" : comment));
        });
        handlers.put("exceptions.remove", a -> {
            String id = nonEmpty(a, "id");
            a.done();
            return sensor.removeException(id);
        });
    }

    /** Every command name the protocol knows, sorted. */
    Set<String> names() {
        Set<String> all = new TreeSet<>(handlers.keySet());
        all.addAll(CONNECTION_COMMANDS);
        return all;
    }

    boolean handles(String cmd) {
        return handlers.containsKey(cmd);
    }

    /** Runs a request/answer command; the result is serialised as the answer's {@code result}. */
    Object call(String cmd, Args args) throws RequestException {
        return handlers.get(cmd).run(args);
    }

    private Object withControl(Object sensorResult, Args args) throws RequestException {
        args.done();
        ObjectNode result = Protocol.JSON.valueToTree(sensorResult);
        result.set("control", controlStatus.get());
        return result;
    }

    private static String ruleId(Args a) throws RequestException {
        String id = nonEmpty(a, "id");
        a.done();
        return id;
    }

    private static String nonEmpty(Args a, String name) throws RequestException {
        String v = a.requireString(name);
        if (v.isBlank()) {
            throw a.invalid("args." + name + " must not be empty");
        }
        return v;
    }

    private static String webServerName(Args a) throws RequestException {
        String name = a.requireString("name");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > COMM_MAX) {
            throw a.invalid("args.name='" + name + "' must be 1 to " + COMM_MAX
                    + " bytes (a process name, as the kernel's comm holds it), got " + bytes);
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '/')) {
            throw a.invalid("args.name must be a process name: no control characters and no '/'");
        }
        return name;
    }

    private static UserRef userRef(Args a) throws RequestException {
        JsonNode v = a.requireRaw("user", "a uid (number) or a user name (string)");
        a.done();
        if (v.isIntegralNumber()) {
            return uid(a, v.canConvertToLong() ? v.longValue() : -1, v.toString());
        }
        if (!v.isTextual()) {
            throw a.wrongType("user", "a uid (number) or a user name (string)", v);
        }
        String s = v.textValue().strip();
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            return uid(a, s.length() > 10 ? -1 : Long.parseLong(s), s);
        }
        if (!USER_NAME.matcher(s).matches()) {
            throw a.invalid("args.user='" + v.textValue() + "' is neither a uid nor a valid user name");
        }
        return new UserRef.ByName(s);
    }

    private static UserRef uid(Args a, long uid, String text) throws RequestException {
        if (uid < 0 || uid > 0xFFFF_FFFEL) {
            throw a.invalid("args.user=" + text + " is out of range: uids go from 0 to 4294967294");
        }
        return new UserRef.ById(uid);
    }
}
