package io.spawnwatch.rules;

import io.spawnwatch.rules.model.DetectionConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionConfigTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void shouldBindTheDocumentedYamlShape() throws Exception {
        DetectionConfig c = YAML.readValue("""
                internal_ranges: [10.0.0.0/8]
                loopback_ranges: []
                allowed_ports: [443]
                callback_ports: [4444, 5555]
                lists: {backup_hosts: [10.1.2.3]}
                state_path: /var/lib/spawnwatch/baselines.db
                baseline_max_entries: 1000
                baseline_flush_interval: 250ms
                rarity: {threshold: 3, window: 2h}
                new_terms: {window: 14d}
                suppression: {window: 5m, key_fields: [Image, CommandLine], max_keys: 50}
                disabled_rules: [318e95ea-2c21-4272-b1a1-bf07308e812b]
                """, DetectionConfig.class);
        assertEquals(List.of("10.0.0.0/8"), c.internalRanges());
        assertEquals(List.of(), c.loopbackRanges());
        assertEquals(List.of(443), c.allowedPorts());
        assertEquals("/var/lib/spawnwatch/baselines.db", c.statePath());
        assertEquals(Duration.ofMillis(250), c.baselineFlushInterval());
        assertEquals(new DetectionConfig.Rarity(3, Duration.ofHours(2)), c.rarity());
        assertEquals(Duration.ofDays(14), c.newTerms().window());
        assertEquals(new DetectionConfig.Suppression(Duration.ofMinutes(5), List.of("Image", "CommandLine"), 50),
                c.suppression());
        assertEquals(List.of("10.1.2.3"), c.placeholders().get("backup_hosts"));
        assertEquals(List.of("4444", "5555"), c.placeholders().get("callback_ports"));
    }

    @Test
    void shouldDefaultEveryKey() throws Exception {
        DetectionConfig c = YAML.readValue("{}", DetectionConfig.class);
        assertEquals(DetectionConfig.defaults(), c);
        assertEquals(21, c.internalRanges().size());
        assertEquals(65_536, c.baselineMaxEntries());
        assertEquals(new DetectionConfig.Rarity(5, Duration.ofMinutes(61)), c.rarity());
    }

    @Test
    void shouldRefuseTyposBadRangesAndBadDurations() {
        assertThrows(JsonMappingException.class, () -> YAML.readValue("internal_range: []", DetectionConfig.class));
        JsonMappingException e = assertThrows(JsonMappingException.class,
                () -> YAML.readValue("internal_ranges: [10.0.0.0/99]", DetectionConfig.class));
        assertTrue(e.getMessage().contains("internal_ranges: prefix length out of range in '10.0.0.0/99': max=32"),
                e.getMessage());
        e = assertThrows(JsonMappingException.class,
                () -> YAML.readValue("baseline_flush_interval: soon", DetectionConfig.class));
        assertTrue(e.getMessage().contains("'soon' is not a duration: use e.g. 30s, 15m, 2h, 1d, 2w or 1h30m"), e.getMessage());
    }

    @Test
    void shouldRefuseAPlaceholderRuleWhenTheListIsUnknown() {
        assertEquals("test.yml:8: field DestinationIp: unknown placeholder %office%; configured lists:"
                + " internal_ranges, loopback_ranges, allowed_ports, callback_ports",
                Rules.error(Rules.rule("network_connection",
                        "    sel:\n        DestinationIp|cidr|expand: '%office%'\n    condition: sel\n")));
    }
}
