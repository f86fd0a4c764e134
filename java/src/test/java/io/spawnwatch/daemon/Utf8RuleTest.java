package io.spawnwatch.daemon;

import static io.spawnwatch.daemon.SensorHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spawnwatch.config.ConfigLoader;
import io.spawnwatch.config.SensorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule literal with non-ASCII characters matches a real process whose path and argument hold them: the kernel
 * sends UTF-8 bytes, the rule is compiled into the same bytes.
 */
@Tag("kernel")
class Utf8RuleTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void shouldMatchANonAsciiPathAndArgumentOfARealProcess() throws Exception {
        String marker = "u" + UUID.randomUUID().toString().substring(0, 8);
        Path rule = Files.writeString(dir.resolve("utf8.yml"), """
                title: Non-ASCII literal
                id: 6f1c0d1e-8a55-4b8e-9c1e-0000000000e9
                level: low
                logsource: {product: linux, category: process_creation}
                detection:
                    sel:
                        Image|endswith: /naïve-Ω
                        CommandLine|contains: 'CAFÉ-%s'
                    condition: sel
                """.formatted(marker));
        SensorConfig d = ConfigLoader.defaults();
        SensorConfig config = d.withDetection(d.detection().withStatePath(null))
                .withRules(new SensorConfig.Rules(true, List.of(rule.toString()), null));
        try (SensorHarness harness = SensorHarness.start(config); FakeWebServer nginx = new FakeWebServer("nginx")) {
            Path program = dir.resolve("naïve-Ω"); // not in nginx.dir, which FakeWebServer cleans file by file
            Files.copy(Path.of("/bin/true"), program, StandardCopyOption.COPY_ATTRIBUTES);
            // '; true': both programs run as children, so both execs are reported under the fake server.
            nginx.run(program + " CAFÉ-" + marker + " ; " + program + " CAFé-" + marker + "; true");

            JsonNode alert = harness.await(a -> "alert".equals(text(a, "event.kind"))
                    && "Non-ASCII literal".equals(text(a, "rule.name")), WAIT, "the non-ASCII rule's alert");
            assertEquals(program.toString(), text(alert, "process.executable"));
            assertEquals(program + " CAFÉ-" + marker, text(alert, "process.command_line"));
            // The name (comm) and the chain the enricher assembles read as the text too, not as UTF-8 bytes.
            assertEquals("naïve-Ω", text(alert, "process.name"));
            assertEquals("nginx > naïve-Ω", text(alert, "spawnwatch.lineage.chain"));
            assertTrue(String.valueOf(text(alert, "message")).contains("nginx > naïve-Ω ran '" + program + " CAFÉ-"),
                    text(alert, "message"));
            // Case folds for ASCII only: É and é are different bytes, so the second run raised nothing.
            harness.await(e -> "event".equals(text(e, "event.kind"))
                    && String.valueOf(text(e, "process.command_line")).contains("CAFé-" + marker), WAIT, "2nd run");
            assertFalse(harness.seen().stream().anyMatch(a -> "alert".equals(text(a, "event.kind"))
                    && "Non-ASCII literal".equals(text(a, "rule.name"))
                    && String.valueOf(text(a, "process.command_line")).contains("CAFé")), "É is not é");
        }
    }
}
