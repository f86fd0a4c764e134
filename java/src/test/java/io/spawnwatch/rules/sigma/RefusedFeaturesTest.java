package io.spawnwatch.rules.sigma;

import static io.spawnwatch.rules.Rules.error;
import static io.spawnwatch.rules.Rules.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.engine.RuleSetCompiler;
import io.spawnwatch.rules.model.RuleSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rules using what we do not support are refused with file, line and the
 * feature; lines are 1-based and count from "title:" on line 1 (rule() puts
 * the first field of the first selection on line 8).
 */
class RefusedFeaturesTest {
    private static String selection(String body) {
        return error(rule("process_creation", "    sel:\n" + body + "    condition: sel\n"));
    }

    @Test
    void shouldRefuseHostnamesWhereNoEventCarriesThem() {
        assertEquals("test.yml:8: field DestinationHostname is never present in process_creation events"
                + " (it belongs to network_connection)", selection("        DestinationHostname|endswith: .io\n"));
        assertEquals("test.yml:8: field SourceHostname is never present: the sensor sees addresses, and names only in"
                + " the DNS queries the lineage sends (DestinationHostname); match SourceIp (with |cidr) instead",
                error(rule("network_connection", "    sel:\n        SourceHostname|endswith: .ngrok.io\n"
                        + "    condition: sel\n")));
    }

    @Test
    void shouldRefuseFileAndPrivilegeFieldsOutsideTheirCategories() {
        assertEquals("test.yml:8: field TargetFilename is never present in process_creation events"
                + " (it belongs to file_event)", selection("        TargetFilename|startswith: /tmp/\n"));
        assertEquals("test.yml:8: field PrivilegeCall is never present in network_connection events"
                + " (it belongs to privilege_change)", error(rule("network_connection",
                        "    sel:\n        PrivilegeCall: setuid\n    condition: sel\n")));
        assertEquals("test.yml:8: field DestinationPort is never present in file_event events"
                + " (it belongs to network_connection)", error(rule("file_event",
                        "    sel:\n        DestinationPort: 53\n    condition: sel\n")));
    }

    @Test
    void shouldRefuseNetworkFieldsInProcessCreationRules() {
        assertEquals("test.yml:8: field DestinationPort is never present in process_creation events"
                + " (it belongs to network_connection)", selection("        DestinationPort: 4444\n"));
    }

    @Test
    void shouldRefuseUnknownFieldsNamingThem() {
        assertEquals(true, selection("        Imagee: /bin/sh\n").startsWith(
                "test.yml:8: unknown field 'Imagee'; known fields: Image, CommandLine, ProcessName,"));
    }

    @Test
    void shouldRefuseWindowsFields() {
        assertEquals("test.yml:8: field OriginalFileName is a Windows field and is never present in linux events",
                selection("        OriginalFileName: cmd.exe\n"));
    }

    @Test
    void shouldRefuseUtf16AndFieldrefAndTimeModifiers() {
        assertEquals("test.yml:8: unsupported modifier 'wide' on field CommandLine: argv and paths reach us as bytes,"
                + " never UTF-16", selection("        CommandLine|wide|base64offset|contains: x\n"));
        assertEquals("test.yml:8: unsupported modifier 'fieldref' on field Image: comparing two fields of one event"
                + " is not supported", selection("        Image|fieldref: ParentImage\n"));
        assertEquals("test.yml:8: unsupported modifier 'hour' on field CommandLine: time-part modifiers need a date"
                + " field; events carry none", selection("        CommandLine|hour: 3\n"));
    }

    @Test
    void shouldRefuseUnknownModifiersAndBadCombinations() {
        assertEquals("test.yml:8: unknown modifier 'contain' on field CommandLine",
                selection("        CommandLine|contain: x\n"));
        assertEquals("test.yml:8: unsupported modifier combination on field CommandLine: contains, startswith and"
                + " endswith exclude each other", selection("        CommandLine|contains|endswith: x\n"));
        assertEquals("test.yml:8: unsupported modifier combination on field CommandLine: re takes only the flags"
                + " i, m, s (and all, expand)", selection("        CommandLine|re|contains: x\n"));
        assertEquals("test.yml:8: field Image: cidr applies to address fields (DestinationIp, SourceIp) only",
                selection("        Image|cidr: 10.0.0.0/8\n"));
        assertEquals("test.yml:8: field Image: lt compares numbers; Image is not a numeric field",
                selection("        Image|lt: 3\n"));
        assertEquals("test.yml:8: field CommandLine: the all modifier needs a list of at least two values",
                selection("        CommandLine|contains|all: x\n"));
    }

    @Test
    void shouldRefuseKeywordSearches() {
        assertEquals("test.yml:8: unsupported feature in selection 'sel': keyword search (values without a field"
                + " name); name the field, e.g. CommandLine|contains", selection("        - whoami\n"));
    }

    @Test
    void shouldRefuseAggregationsAndNear() {
        assertEquals("test.yml:9: unsupported condition feature: aggregation ('| ...') at column 5; use the"
                + " spawnwatch: rarity or new_terms extension to count",
                error(rule("process_creation", "    sel:\n        Image: x\n    condition: sel | count() > 5\n")));
        assertEquals("test.yml:9: condition 'sel near sel': unexpected 'near' (column 5)",
                error(rule("process_creation", "    sel:\n        Image: x\n    condition: sel near sel\n")));
        assertEquals("test.yml:9: condition '2 of sel*': unsupported condition feature: '2 of' (only 1 of, any of,"
                + " all of) (column 1)",
                error(rule("process_creation", "    sel:\n        Image: x\n    condition: 2 of sel*\n")));
    }

    @Test
    void shouldRefuseUndefinedIdentifiersAndEmptyPatterns() {
        assertEquals("test.yml:9: condition 'sel and filter': condition refers to 'filter', which is not a search"
                + " identifier of this rule (column 9)",
                error(rule("process_creation", "    sel:\n        Image: x\n    condition: sel and filter\n")));
        assertEquals("test.yml:9: condition 'sel and not 1 of filter_*': 'filter_*' matches no search identifier"
                + " (column 18)", error(rule("process_creation",
                        "    sel:\n        Image: x\n    condition: sel and not 1 of filter_*\n")));
    }

    @Test
    void shouldRefuseOtherLogsourcesAndTimeframes() {
        assertEquals("test.yml:5: unsupported logsource category 'dns_query': only process_creation,"
                + " network_connection, file_event and privilege_change",
                error(rule("dns_query", "    sel:\n        Image: x\n    condition: sel\n")));
        assertEquals("test.yml:2: unsupported logsource product 'windows': only linux", error(
                "title: t\nlogsource:\n  product: windows\n  category: process_creation\n"
                        + "id: 00000000-0000-4000-8000-000000000001\ndetection:\n  sel:\n    Image: x\n"
                        + "  condition: sel\n").replace("test.yml:3", "test.yml:2"));
        assertEquals("test.yml:9: unsupported feature: timeframe (it only serves aggregations); use the"
                + " spawnwatch: rarity extension", error(rule("process_creation",
                        "    sel:\n        Image: x\n    timeframe: 5m\n    condition: sel\n")));
    }

    @Test
    void shouldRefuseRuleCollectionsAndCorrelations() {
        assertEquals("test.yml:1: unsupported feature: rule collections (action: global/reset/repeat); write one"
                + " complete rule per document", error("action: global\ntitle: t\n"));
    }

    @Test
    void shouldRefuseDuplicateSelectionKeysThatYamlWouldSilentlyMerge() {
        assertEquals("test.yml:9: detection: duplicate key 'sel'", error(rule("process_creation",
                "    sel:\n        Image: x\n    sel:\n        Image: y\n    condition: sel\n")));
    }

    @Test
    void shouldRequireAUuidIdAndReportYamlSyntaxErrorsWithTheirLine() {
        assertEquals("test.yml:2: id must be a UUID (alerts, exceptions and baselines key on it): 'abc'",
                error("title: t\nid: abc\nlogsource: {product: linux, category: process_creation}\n"
                        + "detection: {sel: {Image: x}, condition: sel}\n"));
        assertEquals(true, error("title: t\n  id: [\n").startsWith("test.yml:2: YAML syntax: "));
        // A value the message echoes cannot make it two lines (found by SigmaParserFuzzTest).
        assertEquals("test.yml:2: id must be a UUID (alerts, exceptions and baselines key on it): '6d1c2b10\\nx\\u0007'",
                error("title: t\nid: \"6d1c2b10\\nx\\a\"\nlogsource: {product: linux, category: process_creation}\n"
                        + "detection: {sel: {Image: x}, condition: sel}\n"));
    }

    @Test
    void shouldRefuseUnknownExtensionKeys() {
        assertEquals("test.yml:12: unknown key spawnwatch.rarity.groupby (known: group_by, threshold, window)",
                error(rule("process_creation", "    sel:\n        Image: x\n    condition: sel\n"
                        + "spawnwatch:\n    rarity:\n        groupby: [Image]\n")));
    }

    @Test
    void shouldLoadTheOtherRulesOfAFileWhenOneIsRefused() {
        String good = rule("process_creation", "    sel:\n        Image: x\n    condition: sel\n");
        String bad = good.replace("00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002")
                .replace("Image: x", "Image|wide: x");
        RuleSetCompiler.Result r = RuleSetCompiler.compile(
                List.of(new RuleSource("two.yml", bad + "---\n" + good.replace("title: t", "title: good"))),
                DetectionConfig.defaults());
        assertEquals(List.of("good"), r.rules().stream().map(x -> x.metadata().title()).toList());
        assertEquals(List.of(new RuleError("two.yml", 8,
                "unsupported modifier 'wide' on field Image: argv and paths reach us as bytes, never UTF-16")),
                r.errors());
    }
}
