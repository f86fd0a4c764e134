package io.spawnwatch.ecs;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.event.ConnectRecordDescriptor;
import io.spawnwatch.event.DnsQuestion;
import io.spawnwatch.event.DnsRecord;
import io.spawnwatch.event.Field;
import io.spawnwatch.event.Utf8Chars;
import java.io.IOException;

/**
 * The ECS fields of a DNS query sent by the lineage: destination (the
 * resolver), network (udp, protocol dns) and dns.* (type query,
 * question.name and question.type; ECS dns field set). A payload that did
 * not parse as a query keeps network fields only, and says so.
 */
final class DnsEventFields {
    private DnsEventFields() {}

    static void writeClassification(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("category");
        g.writeString("network");
        g.writeEndArray();
        g.writeArrayFieldStart("type");
        g.writeString("protocol");
        g.writeEndArray();
        g.writeStringField("action", "dns_query");
        g.writeStringField("module", "spawnwatch");
        g.writeStringField("dataset", "spawnwatch.network");
    }

    static void write(JsonGenerator g, EnrichedEvent ev) throws IOException {
        DnsRecord d = ev.dns();
        g.writeObjectFieldStart("destination");
        g.writeStringField("ip", ev.text(Field.DESTINATION_IP).toString());
        g.writeNumberField("port", d.destinationPort());
        g.writeEndObject();
        g.writeObjectFieldStart("network");
        g.writeStringField("transport", "udp");
        g.writeStringField("protocol", "dns");
        g.writeStringField("type", d.family() == ConnectRecordDescriptor.AF_INET ? "ipv4" : "ipv6");
        g.writeStringField("direction", "egress");
        g.writeNumberField("bytes", d.totalLength());
        g.writeEndObject();
        DnsQuestion q = ev.dnsQuestion();
        if (q != null) {
            g.writeObjectFieldStart("dns");
            g.writeStringField("type", "query");
            g.writeObjectFieldStart("question");
            g.writeStringField("name", Utf8Chars.decode(q.name()));
            g.writeStringField("type", DnsQuestion.typeName(q.type()));
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    /** Inside the open "spawnwatch" object. */
    static void writeOwn(JsonGenerator g, EnrichedEvent ev) throws IOException {
        if (ev.dnsQuestion() == null) {
            g.writeStringField("dns", "payload is not a DNS query");
        }
        g.writeStringField("hook", "tracepoint/syscalls/sys_enter_send*");
    }
}
