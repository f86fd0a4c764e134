package io.spawnwatch.ecs;

import io.spawnwatch.enrich.BootClock;
import io.spawnwatch.enrich.ContainerIds;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.enrich.ProcessTable;
import io.spawnwatch.enrich.UserNames;
import io.spawnwatch.event.EventType;
import io.spawnwatch.event.TestRecords;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Debian 12 host as the ECS tests need it: /etc/passwd with www-data, no
 * /proc to read, and the php-fpm master (pid 100) and the worker that runs
 * scripts (pid 200) known from their exec records.
 */
final class PhpFpmHost {
    final EnrichedEvent event;
    final ProcessTable table;

    PhpFpmHost(Path dir) throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"),
                "root:x:0:0::/root:/bin/sh\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n");
        Path proc = Files.createDirectory(dir.resolve("proc"));
        table = new ProcessTable(64, proc);
        event = new EnrichedEvent(table, new UserNames(passwd), new ContainerIds(proc), new BootClock());
        wrap(TestRecords.exec(100, 1, "php-fpm8.2", "systemd", "/usr/sbin/php-fpm8.2", "/",
                "/usr/lib/systemd/systemd", 0, 0, 0, "php-fpm: master process (/etc/php/8.2/fpm/php-fpm.conf)"));
        wrap(TestRecords.exec(200, 100, "php-fpm8.2", "php-fpm8.2", "/usr/sbin/php-fpm8.2", "/var/www/html",
                "/usr/sbin/php-fpm8.2", 33, 100, 1, "php-fpm: pool www"));
    }

    /** Decodes the record and, as the pipeline's process stage does for a kept exec, records it in the table. */
    void wrap(MemorySegment record) {
        if (!event.wrap(record, 0)) {
            throw new AssertionError("test record refused");
        }
        if (event.type() == EventType.EXEC) {
            table.recordExec(event.exec());
        }
    }
}
