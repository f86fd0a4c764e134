package io.spawnwatch.ecs;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spawnwatch.event.PrivilegeRecord;
import java.io.IOException;

/**
 * A privilege change as an ECS process event (event.category process, type
 * change, action the call); the credentials before and after go under
 * spawnwatch.privilege, since ECS has no field for a capability set.
 */
final class PrivilegeEventFields {
    private static final String[] CHANGE = {"change"};

    private PrivilegeEventFields() {}

    static void writeClassification(JsonGenerator g, PrivilegeRecord p) throws IOException {
        EventClassification.write(g, "process", CHANGE, PrivilegeRecord.howName(p.how()), "spawnwatch.process");
    }

    /** Inside the open "spawnwatch" object. */
    static void writeOwn(JsonGenerator g, PrivilegeRecord p) throws IOException {
        g.writeObjectFieldStart("privilege");
        g.writeStringField("previous_effective_user_id", Long.toString(p.oldEuid()));
        g.writeStringField("effective_user_id", Long.toString(p.euid()));
        g.writeStringField("previous_cap_effective", String.format("0x%016x", p.oldCapEffective()));
        g.writeStringField("cap_effective", String.format("0x%016x", p.newCapEffective()));
        g.writeEndObject();
        g.writeStringField("hook", "tracepoint/syscalls");
    }
}
