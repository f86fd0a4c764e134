package io.spawnwatch.ecs;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.event.ConnectRecordDescriptor;
import io.spawnwatch.event.EventType;
import io.spawnwatch.event.ExecRecord;
import io.spawnwatch.event.ExecRecordDescriptor;
import io.spawnwatch.event.Field;
import io.spawnwatch.event.ProcessDescriptor;
import io.spawnwatch.event.ProcessRecord;
import io.spawnwatch.event.SegmentText;
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
 * (and its parent), user, group, host, container, and for connect events
 * source, destination and network. Our own fields (lineage, why the kernel
 * sent it, truncation) go under "spawnwatch". Used for event documents and,
 * with the rule's fields added, for alerts. Not thread-safe: one per thread
 * that writes (the sensor's ring reader).
 */
public final class EcsEventWriter {
    /** Rules rendered at once; cleared when reloads have left more than this many behind. */
    private static final int MAX_RENDERED = 1024;

    private final String hostName;
    private final SegmentText text = new SegmentText();
    /** By identity: a reload makes new metadata, and record equality would hash every field per alert. */
    private final Map<RuleMetadata, EcsRuleFields.Rendered> rendered = new IdentityHashMap<>();

    public EcsEventWriter(String hostName) {
        this.hostName = hostName;
    }

    /** A whole event document: {"@timestamp":..., "event":{"kind":"event",...}, ...}. */
    public void writeEvent(JsonGenerator g, EnrichedEvent ev) throws IOException {
        g.writeStartObject();
        writeTimestamp(g, ev);
        g.writeObjectFieldStart("event");
        g.writeStringField("kind", "event");
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
        g.writeObjectFieldStart("event");
        g.writeStringField("kind", "alert");
        writeEventClassification(g, ev);
        EcsRuleFields.writeEventSeverity(rule, g);
        g.writeEndObject();
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
        long nanos = ev.timestampNanos();
        g.writeStringField("@timestamp",
                Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
                        .toString());
    }

    /** event.category/type/action/module/dataset (inside an open "event" object). */
    public void writeEventClassification(JsonGenerator g, EnrichedEvent ev) throws IOException {
        switch (ev.type()) {
            case FILE -> {
                FileEventFields.writeClassification(g, ev.file());
                return;
            }
            case LISTEN -> {
                ListenFields.writeClassification(g);
                return;
            }
            case PRIVILEGE -> {
                PrivilegeEventFields.writeClassification(g, ev.privilege());
                return;
            }
            default -> {
                if (ev.isDnsQuery()) {
                    DnsEventFields.writeClassification(g);
                    return;
                }
            }
        }
        boolean exec = ev.type() == EventType.EXEC;
        g.writeArrayFieldStart("category");
        g.writeString(exec ? "process" : "network");
        g.writeEndArray();
        g.writeArrayFieldStart("type");
        if (exec) {
            g.writeString("start");
        } else {
            g.writeString("connection");
            g.writeString("start");
        }
        g.writeEndArray();
        g.writeStringField("action", exec ? "exec" : "connection_attempted");
        g.writeStringField("module", "spawnwatch");
        g.writeStringField("dataset", exec ? "spawnwatch.process" : "spawnwatch.network");
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
        g.writeObjectFieldStart("host");
        g.writeStringField("name", hostName);
        g.writeStringField("hostname", hostName);
        g.writeEndObject();
        writeProcess(g, ev, r);
        g.writeObjectFieldStart("user");
        g.writeStringField("id", Long.toString(r.uid()));
        g.writeStringField("name", ev.text(Field.USER).toString());
        if (r.euid() != r.uid()) {
            g.writeObjectFieldStart("effective");
            g.writeStringField("id", Long.toString(r.euid()));
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeObjectFieldStart("group");
        g.writeStringField("id", Long.toString(r.gid()));
        g.writeEndObject();
        CharSequence container = ev.text(Field.CONTAINER_ID);
        if (container != null) {
            g.writeObjectFieldStart("container");
            g.writeStringField("id", container.toString());
            g.writeEndObject();
        }
        if (ev.isDnsQuery()) {
            DnsEventFields.write(g, ev);
        } else if (ev.type() == EventType.CONNECT) {
            writeNetwork(g, ev);
        } else if (ev.type() == EventType.FILE) {
            FileEventFields.write(g, ev);
        } else if (ev.type() == EventType.LISTEN) {
            ListenFields.writeNetwork(g, ev);
        }
    }

    private void writeProcess(JsonGenerator g, EnrichedEvent ev, ProcessRecord r) throws IOException {
        g.writeObjectFieldStart("process");
        g.writeNumberField("pid", r.pid());
        g.writeObjectFieldStart("thread");
        g.writeNumberField("id", r.tid());
        g.writeEndObject();
        g.writeStringField("name", r.comm(text).toString());
        writeText(g, "executable", ev.text(Field.IMAGE));
        if (ev.type() == EventType.EXEC) {
            writeArgs(g, ev.exec());
        } else {
            writeText(g, "command_line", ev.text(Field.COMMAND_LINE));
        }
        writeText(g, "working_directory", ev.text(Field.CURRENT_DIRECTORY));
        g.writeObjectFieldStart("user");
        g.writeStringField("id", Long.toString(r.uid()));
        g.writeStringField("name", ev.text(Field.USER).toString());
        g.writeEndObject();
        g.writeObjectFieldStart("parent");
        g.writeNumberField("pid", r.ppid());
        g.writeStringField("name", r.parentComm(text).toString());
        writeText(g, "executable", ev.text(Field.PARENT_IMAGE));
        writeText(g, "working_directory", ev.text(Field.PARENT_CURRENT_DIRECTORY));
        writeText(g, "command_line", ev.text(Field.PARENT_COMMAND_LINE));
        g.writeEndObject();
        g.writeEndObject();
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
        writeText(g, "command_line", r.commandLine(text));
    }

    private static String utf8(ExecRecord r, long offset, int len) {
        return new String(r.segment().asSlice(offset, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private void writeNetwork(JsonGenerator g, EnrichedEvent ev) throws IOException {
        var c = ev.connect();
        // The cgroup hooks fire before the kernel picks the source: then there is none.
        CharSequence source = ev.text(Field.SOURCE_IP);
        if (source != null || c.sourcePort() != 0) {
            g.writeObjectFieldStart("source");
            writeText(g, "ip", source);
            if (c.sourcePort() != 0) {
                g.writeNumberField("port", c.sourcePort());
            }
            g.writeEndObject();
        }
        g.writeObjectFieldStart("destination");
        g.writeStringField("ip", ev.text(Field.DESTINATION_IP).toString());
        g.writeNumberField("port", c.destinationPort());
        g.writeEndObject();
        g.writeObjectFieldStart("network");
        g.writeStringField("transport", ev.transport());
        g.writeStringField("type", c.family() == ConnectRecordDescriptor.AF_INET ? "ipv4" : "ipv6");
        g.writeStringField("direction", "egress");
        g.writeEndObject();
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
            writeText(g, "name", ev.text(Field.LINEAGE_ROOT_NAME));
            writeText(g, "executable", ev.text(Field.LINEAGE_ROOT_IMAGE));
            g.writeEndObject();
            writeText(g, "chain", ev.text(Field.LINEAGE_CHAIN));
            g.writeEndObject();
        }
        if (ev.type() == EventType.EXEC) {
            CharSequence script = ev.text(Field.SCRIPT_PATH);
            if (script != null) {
                g.writeObjectFieldStart("script");
                g.writeStringField("path", script.toString());
                g.writeEndObject();
            }
            int failed = ev.exec().failed();
            if (failed != 0) {
                g.writeArrayFieldStart("read_failed");
                writeExecFields(g, failed);
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
                }
                if ((truncated & ExecRecordDescriptor.TRUNC_SCRIPT) != 0) {
                    g.writeString("spawnwatch.script.path");
                }
                g.writeEndArray();
            }
        } else if (ev.type() == EventType.FILE) {
            FileEventFields.writeOwn(g, ev.file());
        } else if (ev.type() == EventType.PRIVILEGE) {
            PrivilegeEventFields.writeOwn(g, ev.privilege());
        } else if (ev.isDnsQuery()) {
            DnsEventFields.writeOwn(g, ev);
        } else if (ev.type() == EventType.LISTEN) {
            g.writeStringField("hook", ListenFields.hookName(ev.listen().hook()));
        } else {
            g.writeStringField("hook", hookName(ev.connect().hook()));
        }
        g.writeNumberField("cgroup_id", r.cgroupId());
    }

    /** The ECS names of the exec record's fields in SW_TRUNC_* bits (read failures). */
    private static void writeExecFields(JsonGenerator g, int bits) throws IOException {
        String[] names = {"process.executable", "process.parent.executable", "process.working_directory",
            "process.parent.working_directory", "process.args", "spawnwatch.script.path"};
        for (int i = 0; i < names.length; i++) {
            if ((bits & (1 << i)) != 0) {
                g.writeString(names[i]);
            }
        }
    }

    static String hookName(int hook) {
        return switch (hook) {
            case ConnectRecordDescriptor.HOOK_FENTRY_TCP_CONNECT -> "fentry/tcp_connect";
            case ConnectRecordDescriptor.HOOK_KPROBE_TCP_CONNECT -> "kprobe/tcp_connect";
            case ConnectRecordDescriptor.HOOK_TP_INET_SOCK_SET_STATE -> "tracepoint/sock/inet_sock_set_state";
            case ConnectRecordDescriptor.HOOK_CGROUP_CONNECT4 -> "cgroup/connect4";
            case ConnectRecordDescriptor.HOOK_CGROUP_CONNECT6 -> "cgroup/connect6";
            case ConnectRecordDescriptor.HOOK_CGROUP_SENDMSG4 -> "cgroup/sendmsg4";
            case ConnectRecordDescriptor.HOOK_CGROUP_SENDMSG6 -> "cgroup/sendmsg6";
            default -> "unknown(" + hook + ")";
        };
    }

    private static void writeText(JsonGenerator g, String name, CharSequence value) throws IOException {
        if (value != null && value.length() > 0) {
            g.writeStringField(name, value.toString());
        }
    }
}
