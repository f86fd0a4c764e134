package io.spawnwatch.ecs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.event.EventType;
import io.spawnwatch.event.ExecRecord;
import io.spawnwatch.event.ExecRecordDescriptor;
import io.spawnwatch.event.Field;
import io.spawnwatch.event.ProcessDescriptor;
import io.spawnwatch.event.ProcessRecord;
import io.spawnwatch.event.SegmentText;
import io.spawnwatch.event.Utf8Chars;
import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.rules.alert.EcsRuleFields;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Writes an event's fields as an Elastic Common Schema document: the process
 * (and its parent), user, group, host, agent, container, and for connect
 * events source, destination and network, with Elastic Defend's value
 * conventions (event.type start, event.action exec / connection_attempted,
 * host.os.type linux), so that Elastic's own rules run on them unchanged. Our
 * own fields (lineage, why the kernel sent it, truncation) go under
 * "spawnwatch". Used for event documents and, with the rule's fields and a
 * one-line {@code message} added, for alerts. Every field written is checked
 * against ECS {@value #ECS_VERSION}'s definitions by EcsSchemaTest. Not
 * thread-safe: one per thread that writes (the sensor's ring reader).
 */
public final class EcsEventWriter {
    /** The ECS version the documents follow (ecs.version), and the one the tests check them against. */
    public static final String ECS_VERSION = "9.3.0";
    /** event.type of an exec. */
    private static final String[] START = {"start"};
    /** Rules rendered at once; cleared when reloads have left more than this many behind. */
    private static final int MAX_RENDERED = 1024;
    /** Characters of a command line quoted in an alert's message. */
    private static final int MESSAGE_COMMAND_CHARS = 160;

    private final HostIdentity host;
    private final SegmentText text = new SegmentText();
    /** By identity: a reload makes new metadata, and record equality would hash every field per alert. */
    private final Map<RuleMetadata, EcsRuleFields.Rendered> rendered = new IdentityHashMap<>();
    /** ecs, host and agent: the same bytes in every document. */
    private final SerializableString ecsObject;
    private final SerializableString hostObject;
    private final SerializableString agentObject;
    private final EntityIds entityIds;
    /** event.id: this writer's random prefix and a sequence number, unique per document. */
    private final String eventIdPrefix;
    private long eventSequence;
    private final StringBuilder message = new StringBuilder(256);

    public EcsEventWriter(HostIdentity host, AgentIdentity agent) {
        this.host = host;
        this.entityIds = new EntityIds(host);
        this.ecsObject = raw(g -> {
            g.writeStartObject();
            g.writeStringField("version", ECS_VERSION);
            g.writeEndObject();
        });
        this.hostObject = raw(g -> writeHost(g, host));
        this.agentObject = raw(g -> {
            g.writeStartObject();
            g.writeStringField("id", agent.id());
            g.writeStringField("type", agent.type());
            g.writeStringField("version", agent.version());
            g.writeStringField("name", agent.name());
            g.writeEndObject();
        });
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        this.eventIdPrefix = hex16(r.nextLong());
    }

    /**
     * The writer for this host: host.* read from /etc and /proc, agent.id
     * kept in the directory of the baseline store ({@code statePath}'s
     * parent; none when the store is memory only).
     *
     * @throws io.spawnwatch.error.ConfigException when the agent id cannot be read or written
     */
    public static EcsEventWriter forThisHost(String statePath, String version)
            throws io.spawnwatch.error.ConfigException {
        HostIdentity host = HostIdentity.read(java.nio.file.Path.of("/"));
        java.nio.file.Path dir = statePath == null ? null
                : java.nio.file.Path.of(statePath).toAbsolutePath().getParent();
        try {
            return new EcsEventWriter(host, AgentIdentity.load(dir, version, host.name()));
        } catch (IOException e) {
            throw new io.spawnwatch.error.ConfigException("agent id: " + e.getMessage(), e);
        }
    }

    private interface JsonWriting {
        void write(JsonGenerator g) throws IOException;
    }

    private static SerializableString raw(JsonWriting w) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("rendering constant ECS fields", e); // a StringWriter
        }
        return new SerializedString(out.toString());
    }

    private static void writeHost(JsonGenerator g, HostIdentity h) throws IOException {
        g.writeStartObject();
        writeText(g, "id", h.id());
        g.writeStringField("name", h.name());
        g.writeStringField("hostname", h.name());
        writeText(g, "architecture", h.architecture());
        g.writeObjectFieldStart("os");
        g.writeStringField("type", HostIdentity.OS_TYPE);
        writeText(g, "family", h.osFamily());
        writeText(g, "name", h.osName());
        writeText(g, "version", h.osVersion());
        writeText(g, "platform", h.osPlatform());
        writeText(g, "full", h.osFull());
        writeText(g, "kernel", h.kernel());
        g.writeEndObject();
        g.writeEndObject();
    }

    /** A whole event document: {"@timestamp":..., "event":{"kind":"event",...}, ...}. */
    public void writeEvent(JsonGenerator g, EnrichedEvent ev) throws IOException {
        g.writeStartObject();
        writeTimestamp(g, ev);
        writeConstants(g);
        g.writeObjectFieldStart("event");
        g.writeStringField("kind", "event");
        writeEventIdentity(g);
        writeEventClassification(g, ev);
        g.writeEndObject();
        writeFields(g, ev, -1);
        g.writeEndObject();
    }

    /**
     * An alert: the triggering event's fields, with event.kind "alert", the
     * rule's severity and risk score, rule.* and threat.*, and how many
     * repeats of the same alert were suppressed before this one.
     */
    public void writeAlert(JsonGenerator g, EnrichedEvent ev, RuleMetadata rule, long repeatsSuppressed)
            throws IOException {
        g.writeStartObject();
        writeTimestamp(g, ev);
        writeConstants(g);
        g.writeObjectFieldStart("event");
        g.writeStringField("kind", "alert");
        writeEventIdentity(g);
        writeEventClassification(g, ev);
        EcsRuleFields.writeEventSeverity(rule, g);
        g.writeEndObject();
        writeMessage(g, ev, rule, repeatsSuppressed);
        writeFields(g, ev, repeatsSuppressed);
        rendered(rule).write(g);
        g.writeEndObject();
    }

    private EcsRuleFields.Rendered rendered(RuleMetadata rule) {
        EcsRuleFields.Rendered r = rendered.get(rule);
        if (r == null) {
            if (rendered.size() >= MAX_RENDERED) {
                rendered.clear();
            }
            r = EcsRuleFields.render(rule);
            rendered.put(rule, r);
        }
        return r;
    }

    public void writeTimestamp(JsonGenerator g, EnrichedEvent ev) throws IOException {
        g.writeStringField("@timestamp", instant(ev.timestampNanos()));
    }

    /** ecs, host and agent (inside an open object): the same bytes in every document of this writer. */
    public void writeConstants(JsonGenerator g) throws IOException {
        g.writeFieldName("ecs");
        g.writeRawValue(ecsObject);
        g.writeFieldName("host");
        g.writeRawValue(hostObject);
        g.writeFieldName("agent");
        g.writeRawValue(agentObject);
    }

    /** event.id (unique per document) and event.created (when this document was made), inside "event". */
    public void writeEventIdentity(JsonGenerator g) throws IOException {
        g.writeStringField("id", eventIdPrefix + hex16(++eventSequence));
        g.writeStringField("created", Instant.now().toString());
    }

    /** An alert's {@code message} field (inside an open object). */
    public void writeMessage(JsonGenerator g, EnrichedEvent ev, RuleMetadata rule, long repeatsSuppressed)
            throws IOException {
        g.writeStringField("message", message(ev, rule, repeatsSuppressed));
    }

    /** 16 lower-case hex digits, zero-padded. */
    static String hex16(long v) {
        String h = Long.toHexString(v);
        return "0000000000000000".substring(h.length()) + h;
    }

    /**
     * The alert's {@code message}: one line a person can read, e.g. "Suspicious
     * Command Execution via Web Server: php-fpm8.2 > sh ran 'sh -c id' as
     * www-data (pid 4242) on web1".
     */
    String message(EnrichedEvent ev, RuleMetadata rule, long repeatsSuppressed) {
        StringBuilder m = message;
        m.setLength(0);
        m.append(rule.title()).append(": ");
        CharSequence chain = ev.text(Field.LINEAGE_CHAIN);
        m.append(Utf8Chars.decode(chain != null ? chain : ev.record().comm(text)));
        switch (ev.type()) {
            case EXEC -> {
                m.append(" ran '");
                CharSequence cl = ev.text(Field.COMMAND_LINE);
                appendOneLine(m, cl == null ? "" : cl, MESSAGE_COMMAND_CHARS);
                m.append('\'');
            }
            case FILE -> {
                m.append(" wrote ");
                appendOneLine(m, ev.text(Field.TARGET_FILENAME), MESSAGE_COMMAND_CHARS);
                m.append(" (").append(ev.text(Field.FILE_ACTION)).append(')');
            }
            case PRIVILEGE -> m.append(" called ").append(ev.text(Field.PRIVILEGE_CALL));
            default -> {
                CharSequence name = ev.text(Field.DESTINATION_HOSTNAME);
                if (name != null) {
                    m.append(" asked DNS for ");
                    appendOneLine(m, name, MESSAGE_COMMAND_CHARS);
                } else {
                    m.append(" connected to ").append(ev.text(Field.DESTINATION_IP)).append(" port ")
                            .append(ev.text(Field.DESTINATION_PORT));
                }
            }
        }
        m.append(" as ").append(Utf8Chars.decode(ev.text(Field.USER))).append(" (pid ").append(ev.record().pid()).append(") on ")
                .append(host.name());
        if (repeatsSuppressed > 0) {
            m.append("; ").append(repeatsSuppressed).append(" repeats suppressed before");
        }
        return m.toString();
    }

    /**
     * An event's text (UTF-8 bytes, one per char: {@link Utf8Chars}) as the text it spells, control characters
     * (a newline in an argument) as spaces, cut at {@code max} chars with "...".
     */
    private static void appendOneLine(StringBuilder m, CharSequence bytes, int max) {
        String s = bytes == null ? "" : Utf8Chars.decode(bytes);
        int n = Math.min(s.length(), max);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            m.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        if (s.length() > max) {
            m.append("...");
        }
    }

    /** event.category/type/action/module/dataset (inside an open "event" object). */
    public void writeEventClassification(JsonGenerator g, EnrichedEvent ev) throws IOException {
        switch (ev.type()) {
            case EXEC -> EventClassification.write(g, "process", START, "exec", "spawnwatch.process");
            case FILE -> FileEventFields.writeClassification(g, ev.file());
            case PRIVILEGE -> PrivilegeEventFields.writeClassification(g, ev.privilege());
            case CONNECT, LISTEN -> NetworkEventFields.writeClassification(g, ev);
            case FORK -> throw new IllegalArgumentException("a fork has no document");
        }
    }

    /** Every field but @timestamp, event.* and the rule's (repeatsSuppressed: -1 for events). */
    private void writeFields(JsonGenerator g, EnrichedEvent ev, long repeatsSuppressed) throws IOException {
        writeCommonFields(g, ev);
        g.writeObjectFieldStart("spawnwatch");
        if (repeatsSuppressed >= 0) {
            g.writeNumberField("repeats_suppressed", repeatsSuppressed);
        }
        writeSpawnwatchFields(g, ev);
        g.writeEndObject();
    }

    /**
     * The event's fields from host to network (inside an open object), the same in an event and in each of its
     * alerts: {@link DocumentRenderer} writes them once per event.
     */
    public void writeCommonFields(JsonGenerator g, EnrichedEvent ev) throws IOException {
        ProcessRecord r = ev.record();
        writeProcess(g, ev, r);
        // user.* and group.* are the effective ids, as in Elastic Defend's process events (and process.user).
        writeUser(g, "user", r.euid(), ev.text(Field.USER));
        writeId(g, "group", r.egid());
        CharSequence container = ev.text(Field.CONTAINER_ID);
        if (container != null) {
            g.writeObjectFieldStart("container");
            g.writeStringField("id", container.toString());
            g.writeEndObject();
        }
        if (ev.type() == EventType.FILE) {
            FileEventFields.write(g, ev);
        } else if (ev.type() == EventType.CONNECT || ev.type() == EventType.LISTEN) {
            NetworkEventFields.write(g, ev);
        }
    }

    private static void writeUser(JsonGenerator g, String name, long id, CharSequence userName) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("id", Long.toString(id));
        if (userName != null) {
            g.writeStringField("name", Utf8Chars.decode(userName));
        }
        g.writeEndObject();
    }

    private static void writeId(JsonGenerator g, String name, long id) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("id", Long.toString(id));
        g.writeEndObject();
    }

    /**
     * process.interactive, and process.tty.char_device.{major,minor} when there
     * is a controlling terminal. {@code ttyNr} is /proc/PID/stat's tty_nr
     * (the kernel's new_encode_dev: minor in bits 0-7 and 20-31, major in 8-19).
     */
    private static void writeTerminal(JsonGenerator g, int ttyNr) throws IOException {
        g.writeBooleanField("interactive", ttyNr != 0);
        if (ttyNr != 0) {
            g.writeObjectFieldStart("tty");
            g.writeObjectFieldStart("char_device");
            g.writeNumberField("major", (ttyNr >>> 8) & 0xfff);
            g.writeNumberField("minor", (ttyNr & 0xff) | ((ttyNr >>> 12) & 0xfff00));
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private static void writeLeader(JsonGenerator g, String name, int pid) throws IOException {
        if (pid > 0) {
            g.writeObjectFieldStart(name);
            g.writeNumberField("pid", pid);
            g.writeEndObject();
        }
    }

    private void writeStart(JsonGenerator g, EnrichedEvent ev, int pid, long startBootNanos) throws IOException {
        String entityId = entityIds.of(pid, startBootNanos);
        if (entityId != null) {
            g.writeStringField("entity_id", entityId);
            g.writeStringField("start", instant(ev.toEpochNanos(startBootNanos)));
        }
    }

    private static String instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L)).toString();
    }

    private void writeProcess(JsonGenerator g, EnrichedEvent ev, ProcessRecord r) throws IOException {
        g.writeObjectFieldStart("process");
        g.writeNumberField("pid", r.pid());
        writeStart(g, ev, r.pid(), r.startBootNanos());
        g.writeObjectFieldStart("thread");
        g.writeNumberField("id", r.tid());
        g.writeEndObject();
        g.writeStringField("name", r.comm(text).toString());
        writeEventText(g, "executable", ev.text(Field.IMAGE));
        if (ev.type() == EventType.EXEC) {
            writeArgs(g, ev.exec());
        } else {
            writeList(g, "args", ev, Field.ARGS); // from the process table: the record has no argv
            writeEventText(g, "command_line", ev.text(Field.COMMAND_LINE));
        }
        writeEventText(g, "working_directory", ev.text(Field.CURRENT_DIRECTORY));
        writeUser(g, "user", r.euid(), ev.text(Field.USER));
        writeUser(g, "real_user", r.uid(), ev.text(Field.REAL_USER));
        writeId(g, "group", r.egid());
        writeId(g, "real_group", r.gid());
        writeTerminal(g, r.tty());
        writeLeader(g, "session_leader", r.sid());
        writeLeader(g, "group_leader", r.pgid());
        g.writeObjectFieldStart("parent");
        g.writeNumberField("pid", r.ppid());
        writeStart(g, ev, r.ppid(), r.parentStartBootNanos());
        g.writeStringField("name", r.parentComm(text).toString());
        writeEventText(g, "executable", ev.text(Field.PARENT_IMAGE));
        writeEventText(g, "working_directory", ev.text(Field.PARENT_CURRENT_DIRECTORY));
        writeEventText(g, "command_line", ev.text(Field.PARENT_COMMAND_LINE));
        writeList(g, "args", ev, Field.PARENT_ARGS);
        g.writeEndObject();
        g.writeEndObject();
    }

    /** A list field as an array (and its count as {@code <name>_count}); nothing when the event has none. */
    private static void writeList(JsonGenerator g, String name, EnrichedEvent ev, Field field) throws IOException {
        CharSequence item = ev.item(field, 0);
        if (item == null) {
            return;
        }
        g.writeArrayFieldStart(name);
        int n = 0;
        while (item != null) {
            g.writeString(item.toString());
            item = ev.item(field, ++n);
        }
        g.writeEndArray();
        g.writeNumberField(name + "_count", n);
    }

    private void writeArgs(JsonGenerator g, ExecRecord r) throws IOException {
        long base = r.argsOffset();
        int len = r.argsLength();
        g.writeArrayFieldStart("args");
        int start = 0;
        int count = 0;
        for (int i = 0; i < len; i++) {
            if (r.segment().get(ValueLayout.JAVA_BYTE, base + i) == 0) {
                g.writeString(utf8(r, base + start, i - start));
                count++;
                start = i + 1;
            }
        }
        if (start < len) { // a truncated last argument has no NUL
            g.writeString(utf8(r, base + start, len - start));
            count++;
        }
        g.writeEndArray();
        g.writeNumberField("args_count", r.argc());
        writeEventText(g, "command_line", r.commandLine(text));
    }

    private static String utf8(ExecRecord r, long offset, int len) {
        return new String(r.segment().asSlice(offset, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** The fields inside "spawnwatch" but repeats_suppressed (inside an open object), once per event. */
    public void writeSpawnwatchFields(JsonGenerator g, EnrichedEvent ev) throws IOException {
        ProcessRecord r = ev.record();
        g.writeArrayFieldStart("match");
        int match = r.match();
        if ((match & ProcessDescriptor.MATCH_WEB_COMM) != 0) {
            g.writeString("web_server");
        }
        if ((match & ProcessDescriptor.MATCH_WEB_PARENT) != 0) {
            g.writeString("web_server_parent");
        }
        if ((match & ProcessDescriptor.MATCH_WEB_USER) != 0) {
            g.writeString("web_server_user");
        }
        if ((match & ProcessDescriptor.MATCH_LINEAGE) != 0) {
            g.writeString("lineage");
        }
        if ((match & ProcessDescriptor.MATCH_CANDIDATE) != 0) {
            g.writeString("web_server_command_line");
        }
        g.writeEndArray();
        if (r.lineageRoot() != 0) {
            g.writeObjectFieldStart("lineage");
            g.writeNumberField("depth", r.lineageDepth());
            g.writeObjectFieldStart("root");
            g.writeNumberField("pid", r.lineageRoot());
            writeStart(g, ev, r.lineageRoot(), r.rootStartBootNanos());
            writeEventText(g, "name", ev.text(Field.LINEAGE_ROOT_NAME));
            writeEventText(g, "executable", ev.text(Field.LINEAGE_ROOT_IMAGE));
            g.writeEndObject();
            writeEventText(g, "chain", ev.text(Field.LINEAGE_CHAIN));
            g.writeEndObject();
        }
        writeInvokedPaths(g, ev);
        if (ev.type() == EventType.EXEC) {
            CharSequence script = ev.text(Field.SCRIPT_PATH);
            if (script != null) {
                g.writeObjectFieldStart("script");
                g.writeStringField("path", Utf8Chars.decode(script));
                g.writeEndObject();
            }
            boolean isScript = ev.exec().isScript();
            int failed = ev.exec().failed();
            if (failed != 0) {
                g.writeArrayFieldStart("read_failed");
                writeExecFields(g, failed, isScript);
                g.writeEndArray();
            }
            int truncated = ev.exec().truncated();
            if (truncated != 0) {
                g.writeArrayFieldStart("truncated");
                if ((truncated & ExecRecordDescriptor.TRUNC_EXE) != 0) {
                    g.writeString("process.executable");
                }
                if ((truncated & ExecRecordDescriptor.TRUNC_PARENT_EXE) != 0) {
                    g.writeString("process.parent.executable");
                }
                if ((truncated & ExecRecordDescriptor.TRUNC_CWD) != 0) {
                    g.writeString("process.working_directory");
                }
                if ((truncated & ExecRecordDescriptor.TRUNC_PARENT_CWD) != 0) {
                    g.writeString("process.parent.working_directory");
                }
                if ((truncated & ExecRecordDescriptor.TRUNC_ARGS) != 0) {
                    g.writeString("process.args");
                    g.writeString("process.command_line"); // made of the arguments, so cut where they are
                }
                if ((truncated & ExecRecordDescriptor.TRUNC_FILENAME) != 0) {
                    g.writeString(filenameField(isScript));
                }
                g.writeEndArray();
            }
        } else if (ev.type() == EventType.FILE) {
            FileEventFields.writeOwn(g, ev.file());
        } else if (ev.type() == EventType.PRIVILEGE) {
            PrivilegeEventFields.writeOwn(g, ev.privilege());
        } else {
            NetworkEventFields.writeOwn(g, ev);
        }
        g.writeNumberField("cgroup_id", r.cgroupId());
    }

    /**
     * spawnwatch.process.invoked_path and spawnwatch.process.parent.invoked_path, where the process or its
     * parent was started by another path than its executable (no ECS field holds it: process.executable
     * stays the resolved file, as Elastic Defend reports it).
     */
    private static void writeInvokedPaths(JsonGenerator g, EnrichedEvent ev) throws IOException {
        CharSequence invoked = ev.text(Field.INVOKED_PATH);
        CharSequence parent = ev.text(Field.PARENT_INVOKED_PATH);
        if (invoked == null && parent == null) {
            return;
        }
        g.writeObjectFieldStart("process");
        writeEventText(g, "invoked_path", invoked);
        if (parent != null) {
            g.writeObjectFieldStart("parent");
            writeEventText(g, "invoked_path", parent);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** Where the exec record's filename goes: the script path of a #! script, else the invoked path. */
    private static String filenameField(boolean isScript) {
        return isScript ? "spawnwatch.script.path" : "spawnwatch.process.invoked_path";
    }

    /** The ECS names of the exec record's fields in SW_TRUNC_* bits (read failures). */
    private static void writeExecFields(JsonGenerator g, int bits, boolean isScript) throws IOException {
        String[] names = {"process.executable", "process.parent.executable", "process.working_directory",
            "process.parent.working_directory", "process.args", filenameField(isScript)};
        for (int i = 0; i < names.length; i++) {
            if ((bits & (1 << i)) != 0) {
                g.writeString(names[i]);
            }
        }
    }

    /** A text of the sensor's own (host identity): written as it is. */
    private static void writeText(JsonGenerator g, String name, CharSequence value) throws IOException {
        if (value != null && value.length() > 0) {
            g.writeStringField(name, value.toString());
        }
    }

    /**
     * An event's text: the kernel's UTF-8 bytes, one per char ({@link Utf8Chars}), as events give them to the
     * rules, whether a SegmentText over the record or a StringBuilder the enricher assembled (the lineage
     * chain, a relative script path made absolute): written as the text those bytes spell.
     */
    private static void writeEventText(JsonGenerator g, String name, CharSequence value) throws IOException {
        if (value != null && value.length() > 0) {
            g.writeStringField(name, Utf8Chars.decode(value));
        }
    }
}
