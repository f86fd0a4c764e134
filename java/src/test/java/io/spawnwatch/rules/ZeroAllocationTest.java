package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.model.DetectionConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.spawnwatch.event.Field;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An event that matches no rule allocates nothing: the engine runs every
 * rule of the event's type over every event the kernel sends, so garbage
 * here would be garbage per event. Measured with the JVM's per-thread
 * allocation counter after a warm-up (class loading, JIT, thread-locals).
 */
class ZeroAllocationTest {
    private static final int WARMUP = 200_000;
    private static final int MEASURED = 100_000;

    /** A rule using every matcher kind, none of which matches the test events. */
    private static final RuleSource EVERY_FEATURE = new RuleSource("features.yml", """
            title: every feature
            id: 00000000-0000-4000-8000-0000000000fe
            logsource: {product: linux, category: process_creation}
            detection:
                sel_regex:
                    CommandLine|re|i: 'nc\\s+-e'
                sel_glob:
                    CommandLine|contains: 'stty*raw*-echo'
                sel_automaton:
                    CommandLine|contains: [/dev/tcp, base64 -d, mkfifo, socat, python -c]
                sel_set:
                    ProcessName: [bash, dash, zsh, ksh, fish]
                sel_base64offset:
                    CommandLine|base64offset|contains: /bin/bash
                sel_windash:
                    CommandLine|windash|contains: ' -enc '
                sel_numbers:
                    UserId|neq: 33
                    LineageDepth|gt: 10
                sel_exists:
                    ContainerId|exists: true
                sel_neq_text:
                    User|neq: www-data
                sel_cased:
                    CommandLine|cased|endswith: X
                condition: 1 of sel_*
            ---
            title: every network feature
            id: 00000000-0000-4000-8000-0000000000fd
            logsource: {product: linux, category: network_connection}
            detection:
                sel_cidr:
                    DestinationIp|cidr: [8.8.8.0/24, '2001:db8::/32']
                sel_ip:
                    DestinationIp: 1.1.1.1
                sel_ports:
                    DestinationPort: [1, 2, 3, 4, 5]
                condition: 1 of sel_*
            """);

    private static final AlertSink FAIL = (rule, event, repeats) -> fail("unexpected alert from " + rule.title());

    @Test
    void shouldAllocateNothingForEventsThatMatchNoRule() throws Exception {
        List<RuleSource> rules = new ArrayList<>(RuleSource.builtin());
        rules.add(EVERY_FEATURE);
        RuleSource exceptions = new RuleSource("ex.yml", "exceptions:\n  - id: e\n    match: {Image: /nothing}\n");
        TestEvent exec = TestEvent.phpFpmGrandchild("/usr/bin/convert", "convert",
                "convert /var/www/html/up/a.png -resize 50% /var/www/html/up/b.png");
        TestEvent connect = TestEvent.connect().set(Field.PROCESS_NAME, "php-fpm8.2")
                .set(Field.IMAGE, "/usr/sbin/php-fpm8.2").set(Field.USER, "www-data").set(Field.USER_ID, 33)
                .set(Field.LINEAGE_DEPTH, 0).set(Field.DESTINATION_IP, "::ffff:10.0.0.5")
                .set(Field.DESTINATION_PORT, 443).set(Field.SOURCE_IP, "10.0.0.2").set(Field.SOURCE_PORT, 50000);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (RuleEngine engine = RuleEngine.open(DetectionConfig.defaults(), rules, exceptions)) {
            assertEquals(List.of(), engine.loadErrors());
            for (int i = 0; i < WARMUP; i++) {
                engine.evaluate(exec, FAIL);
                engine.evaluate(connect, FAIL);
            }
            long calibration = measure(threads, () -> { });
            long allocated = measure(threads, () -> {
                for (int i = 0; i < MEASURED; i++) {
                    engine.evaluate(exec, FAIL);
                    engine.evaluate(connect, FAIL);
                }
            });
            assertEquals(0, allocated - calibration, "bytes allocated by " + 2 * MEASURED + " evaluations");
            RuleStats features = engine.stats().rules().stream().filter(r -> r.title().equals("every feature"))
                    .findFirst().orElseThrow();
            assertEquals(WARMUP + MEASURED, features.evaluated());
            assertEquals(0, features.matched());
        }
    }

    private static long measure(com.sun.management.ThreadMXBean threads, Runnable work) {
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
