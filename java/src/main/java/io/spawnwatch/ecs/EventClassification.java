package io.spawnwatch.ecs;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * ECS event categorization, the one shape every kind of event writes inside
 * its open "event" object: event.category (one value), event.type (one or
 * more), event.action, event.module "spawnwatch" and event.dataset. The
 * allowed category/type values are ECS's (checked by EcsSchemaTest).
 */
final class EventClassification {
    private EventClassification() {}

    /**
     * @param types the event.type values, a constant array (nothing is allocated per event)
     */
    static void write(JsonGenerator g, String category, String[] types, String action, String dataset)
            throws IOException {
        g.writeArrayFieldStart("category");
        g.writeString(category);
        g.writeEndArray();
        g.writeArrayFieldStart("type");
        for (String t : types) {
            g.writeString(t);
        }
        g.writeEndArray();
        g.writeStringField("action", action);
        g.writeStringField("module", "spawnwatch");
        g.writeStringField("dataset", dataset);
    }
}
