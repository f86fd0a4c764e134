package io.spawnwatch.rules.sigma;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spawnwatch.enrich.BootClock;
import io.spawnwatch.enrich.ContainerIds;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.enrich.ProcessTable;
import io.spawnwatch.enrich.UserNames;
import io.spawnwatch.event.TestRecords;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.RuleEngine;
import io.spawnwatch.rules.RuleMatches;
import io.spawnwatch.rules.model.RuleSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Non-ASCII rule values against a kernel-layout record carrying UTF-8 bytes, as the sensor reads it. */
class Utf8LiteralTest {
    private static final Path NONE = Path.of("/nonexistent");

    private static List<String> alerts(String detection, String... args) {
        RuleSource rule = new RuleSource("utf8.yml", """
                title: t
                id: 00000000-0000-4000-8000-0000000000e9
                logsource: {product: linux, category: process_creation}
                detection:
                %s
                    condition: sel
                """.formatted(detection.indent(4)));
        try (RuleEngine engine = RuleEngine.open(DetectionConfig.defaults().withStatePath(null), List.of(rule),
                null)) {
            assertEquals(List.of(), engine.loadErrors());
            EnrichedEvent ev = new EnrichedEvent(new ProcessTable(16, NONE), new UserNames(NONE),
                    new ContainerIds(NONE), new BootClock());
            ev.wrap(TestRecords.exec(300, 200, "naïve", "sh", "/srv/données/naïve", "/srv/données", "/bin/sh", 33,
                    100, 2, args), 0);
            RuleMatches m = new RuleMatches();
            engine.evaluate(ev, m);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < m.size(); i++) {
                out.add(m.rule(i).title());
            }
            return out;
        }
    }

    @Test
    void shouldMatchEveryShapeOfANonAsciiLiteral() {
        String[] args = {"naïve", "--msg", "déjà vu ✓ 𝄞"};
        assertEquals(List.of("t"), alerts("sel: {Image: /srv/données/naïve}", args));
        assertEquals(List.of("t"), alerts("sel: {Image|endswith: /naïve}", args));
        assertEquals(List.of("t"), alerts("sel: {Image|startswith: /srv/donn\u00e9es/}", args));
        assertEquals(List.of("t"), alerts("sel: {CommandLine|contains: 'déjà vu ✓ 𝄞'}", args));
        assertEquals(List.of("t"), alerts("sel: {CommandLine|contains: [nothing, 'vu ✓']}", args));
        assertEquals(List.of("t"), alerts("sel: {CommandLine: 'naïve*déjà*𝄞'}", args));
        assertEquals(List.of("t"), alerts("sel: {CommandLine|re: 'déjà vu ✓ .'}", args));
        assertEquals(List.of(), alerts("sel: {CommandLine|re: 'd.j. vu'}", args)); // '.' is one byte, é is two
        assertEquals(List.of("t"), alerts("sel: {CurrentDirectory: /srv/données}", args));
        assertEquals(List.of("t"), alerts("sel: {CommandLine|contains: 'NAïVE --MSG'}", args)); // ASCII folds
        assertEquals(List.of(), alerts("sel: {CommandLine|contains: 'NAÏVE'}", args)); // Ï is not ï
        assertEquals(List.of(), alerts("sel: {Image|endswith: /naive}", args));
    }
}
