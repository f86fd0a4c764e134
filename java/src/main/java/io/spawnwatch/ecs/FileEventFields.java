package io.spawnwatch.ecs;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.event.Field;
import io.spawnwatch.event.FileRecord;
import io.spawnwatch.event.FileRecordDescriptor;
import java.io.IOException;

/**
 * The ECS fields of a file event: file.path, name, extension, directory and
 * mode (ECS file.* field set), plus why the kernel watched the path under
 * spawnwatch.file.
 */
final class FileEventFields {
    /** ECS event.type, as FileRecord.ecsType names it: a creation, or a change to a file that was there. */
    private static final String[] CREATION = {"creation"};
    private static final String[] CHANGE = {"change"};

    private FileEventFields() {}

    static void writeClassification(JsonGenerator g, FileRecord f) throws IOException {
        EventClassification.write(g, "file", f.action() == FileRecordDescriptor.ACTION_CREATE ? CREATION : CHANGE,
                FileRecord.actionName(f.action()), "spawnwatch.file");
    }

    /** file.* ({"path": "/tmp/x.sh", "name": "x.sh", "extension": "sh", "directory": "/tmp", "mode": "0755"}). */
    static void write(JsonGenerator g, EnrichedEvent ev) throws IOException {
        FileRecord f = ev.file();
        String path = ev.text(Field.TARGET_FILENAME).toString();
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        g.writeObjectFieldStart("file");
        g.writeStringField("path", path);
        if (!name.isEmpty()) {
            g.writeStringField("name", name);
        }
        if (dot > 0 && dot < name.length() - 1) {
            g.writeStringField("extension", name.substring(dot + 1));
        }
        if (slash >= 0) {
            g.writeStringField("directory", slash == 0 ? "/" : path.substring(0, slash));
        }
        int mode = f.mode() & 07777;
        if (mode != 0) {
            g.writeStringField("mode", String.format("%04o", mode));
        }
        g.writeEndObject();
    }

    /** Inside the open "spawnwatch" object. */
    static void writeOwn(JsonGenerator g, FileRecord f) throws IOException {
        g.writeObjectFieldStart("file");
        g.writeStringField("class", FileRecord.className(f.pathClass()));
        g.writeEndObject();
        if ((f.truncated() & FileRecordDescriptor.TRUNC_PATH) != 0) {
            g.writeArrayFieldStart("truncated");
            g.writeString("file.path");
            g.writeEndArray();
        }
        g.writeStringField("hook", f.hook() == FileRecordDescriptor.HOOK_FEXIT_DO_FILP_OPEN
                ? "fexit/do_filp_open" : "tracepoint/syscalls");
    }
}
