package io.spawnwatch.ecs;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.event.ConnectRecordDescriptor;
import io.spawnwatch.event.Field;
import io.spawnwatch.event.ListenRecord;
import io.spawnwatch.event.ListenRecordDescriptor;
import java.io.IOException;

/**
 * The ECS fields of a listen event: a lineage process opened a TCP listener
 * (a bind shell, when it is not the web server itself).
 *
 * <p>event.category [network], event.type [start] (ECS "start": something
 * began; a listener has no connection yet), event.action "listen",
 * network.direction "ingress", network.transport "tcp", network.type
 * ipv4/ipv6. ECS puts the receiving side of an ingress flow in destination:
 * destination.ip and destination.port are the bound address and port
 * (0.0.0.0 or :: for every address); source is absent, since no peer exists
 * yet. Sigma sees the same event as a network_connection with Initiated
 * "false" and DestinationPort the listening port.
 */
final class ListenFields {
    private ListenFields() {}

    static void writeClassification(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("category");
        g.writeString("network");
        g.writeEndArray();
        g.writeArrayFieldStart("type");
        g.writeString("start");
        g.writeEndArray();
        g.writeStringField("action", "listen");
        g.writeStringField("module", "spawnwatch");
        g.writeStringField("dataset", "spawnwatch.network");
    }

    static void writeNetwork(JsonGenerator g, EnrichedEvent ev) throws IOException {
        ListenRecord l = ev.listen();
        g.writeObjectFieldStart("destination");
        g.writeStringField("ip", ev.text(Field.DESTINATION_IP).toString());
        g.writeNumberField("port", l.port());
        g.writeEndObject();
        g.writeObjectFieldStart("network");
        g.writeStringField("transport", "tcp");
        g.writeStringField("type", l.family() == ConnectRecordDescriptor.AF_INET ? "ipv4" : "ipv6");
        g.writeStringField("direction", "ingress");
        g.writeEndObject();
    }

    static String hookName(int hook) {
        return switch (hook) {
            case ListenRecordDescriptor.HOOK_FENTRY_INET_CSK_LISTEN_START -> "fentry/inet_csk_listen_start";
            case ListenRecordDescriptor.HOOK_TP_SYS_EXIT_LISTEN -> "tracepoint/syscalls/sys_exit_listen";
            default -> EcsEventWriter.hookName(hook);
        };
    }
}
