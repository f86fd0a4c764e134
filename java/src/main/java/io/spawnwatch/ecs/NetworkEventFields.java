package io.spawnwatch.ecs;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.event.ConnectRecordDescriptor;
import io.spawnwatch.event.DnsQuestion;
import io.spawnwatch.event.DnsRecord;
import io.spawnwatch.event.EventType;
import io.spawnwatch.event.Field;
import io.spawnwatch.event.ListenRecord;
import io.spawnwatch.event.ListenRecordDescriptor;
import io.spawnwatch.event.Utf8Chars;
import java.io.IOException;

/**
 * The ECS fields of the three network events, one shape: destination.ip and
 * .port, then network.transport, .type (ipv4/ipv6) and .direction.
 * <ul>
 * <li>Connect (TCP, or the first UDP datagram to a destination):
 * event.category [network], type [connection, start], action
 * "connection_attempted", direction egress; source.ip/.port where known (the
 * cgroup hooks fire before the kernel picks them).
 * <li>Listen: a lineage process opened a TCP listener (a bind shell, when it
 * is not the web server itself). type [start] (ECS "start": something began;
 * a listener has no connection yet), action "listen", direction ingress. ECS
 * puts the receiving side of an ingress flow in destination: the bound
 * address and port (0.0.0.0 or :: for every address); no source, since no
 * peer exists yet. Sigma sees it as a network_connection with Initiated
 * "false" and DestinationPort the listening port.
 * <li>DNS query sent by the lineage: type [protocol], action "dns_query",
 * destination the resolver, network.protocol dns and .bytes, and dns.type
 * query, dns.question.name and .type (ECS dns field set). A payload that did
 * not parse as a query keeps the network fields only, and spawnwatch.dns says
 * so.
 * </ul>
 */
final class NetworkEventFields {
    private static final String[] CONNECTION_START = {"connection", "start"};
    private static final String[] START = {"start"};
    private static final String[] PROTOCOL = {"protocol"};

    private NetworkEventFields() {}

    /** event.* of a connect, listen or DNS event (inside the open "event" object). */
    static void writeClassification(JsonGenerator g, EnrichedEvent ev) throws IOException {
        if (ev.isDnsQuery()) {
            EventClassification.write(g, "network", PROTOCOL, "dns_query", "spawnwatch.network");
        } else if (ev.type() == EventType.LISTEN) {
            EventClassification.write(g, "network", START, "listen", "spawnwatch.network");
        } else {
            EventClassification.write(g, "network", CONNECTION_START, "connection_attempted", "spawnwatch.network");
        }
    }

    /** source, destination, network and dns of a connect, listen or DNS event (inside the document). */
    static void write(JsonGenerator g, EnrichedEvent ev) throws IOException {
        String destination = ev.text(Field.DESTINATION_IP).toString();
        if (ev.isDnsQuery()) {
            DnsRecord d = ev.dns();
            writeEndpoints(g, destination, d.destinationPort(), "udp", "dns", d.family(), "egress", d.totalLength());
            writeQuestion(g, ev.dnsQuestion());
        } else if (ev.type() == EventType.LISTEN) {
            ListenRecord l = ev.listen();
            writeEndpoints(g, destination, l.port(), "tcp", null, l.family(), "ingress", -1);
        } else {
            var c = ev.connect();
            CharSequence source = ev.text(Field.SOURCE_IP);
            if (source != null || c.sourcePort() != 0) {
                g.writeObjectFieldStart("source");
                if (source != null && source.length() > 0) {
                    g.writeStringField("ip", source.toString());
                }
                if (c.sourcePort() != 0) {
                    g.writeNumberField("port", c.sourcePort());
                }
                g.writeEndObject();
            }
            writeEndpoints(g, destination, c.destinationPort(), ev.transport(), null, c.family(), "egress", -1);
        }
    }

    /** spawnwatch.hook (and spawnwatch.dns for a payload that is no query), inside the open "spawnwatch" object. */
    static void writeOwn(JsonGenerator g, EnrichedEvent ev) throws IOException {
        if (ev.isDnsQuery()) {
            if (ev.dnsQuestion() == null) {
                g.writeStringField("dns", "payload is not a DNS query");
            }
            g.writeStringField("hook", "tracepoint/syscalls/sys_enter_send*");
        } else if (ev.type() == EventType.LISTEN) {
            g.writeStringField("hook", listenHookName(ev.listen().hook()));
        } else {
            g.writeStringField("hook", hookName(ev.connect().hook()));
        }
    }

    /** The listen hooks' names (the listen-only ones, else the tracepoint shared with connect). */
    static String listenHookName(int hook) {
        return switch (hook) {
            case ListenRecordDescriptor.HOOK_FENTRY_INET_CSK_LISTEN_START -> "fentry/inet_csk_listen_start";
            case ListenRecordDescriptor.HOOK_TP_SYS_EXIT_LISTEN -> "tracepoint/syscalls/sys_exit_listen";
            default -> hookName(hook);
        };
    }

    /** The connect hooks' names, as the loader reports the chain it chose. */
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

    /**
     * destination.{ip,port} and network.{transport,protocol,type,direction,bytes}.
     *
     * @param protocol ECS network.protocol, or null when not known
     * @param bytes network.bytes, or -1 when not known
     */
    private static void writeEndpoints(JsonGenerator g, String ip, int port, String transport, String protocol,
            int family, String direction, long bytes) throws IOException {
        g.writeObjectFieldStart("destination");
        g.writeStringField("ip", ip);
        g.writeNumberField("port", port);
        g.writeEndObject();
        g.writeObjectFieldStart("network");
        g.writeStringField("transport", transport);
        if (protocol != null) {
            g.writeStringField("protocol", protocol);
        }
        g.writeStringField("type", family == ConnectRecordDescriptor.AF_INET ? "ipv4" : "ipv6");
        g.writeStringField("direction", direction);
        if (bytes >= 0) {
            g.writeNumberField("bytes", bytes);
        }
        g.writeEndObject();
    }

    private static void writeQuestion(JsonGenerator g, DnsQuestion q) throws IOException {
        if (q == null) {
            return;
        }
        g.writeObjectFieldStart("dns");
        g.writeStringField("type", "query");
        g.writeObjectFieldStart("question");
        g.writeStringField("name", Utf8Chars.decode(q.name()));
        g.writeStringField("type", DnsQuestion.typeName(q.type()));
        g.writeEndObject();
        g.writeEndObject();
    }
}
