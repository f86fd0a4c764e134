package io.spawnwatch.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.spawnwatch.event.EventType;
import io.spawnwatch.event.Field;
import io.spawnwatch.rules.engine.RuleSetCompiler;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.sigma.FieldCatalog;
import io.spawnwatch.rules.sigma.SigmaRule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * SigmaHQ's Linux process_creation, network_connection and file_event rules
 * (test resources, unchanged, DRL 1.1: sigmahq/NOTICE.md) all load, and each
 * meets the example its own author describes, through the real compiler and
 * evaluator.
 *
 * <p>The examples are data, {@code sigmahq/examples.yml}: one row per event,
 * at least one positive row per rule (what the rule's selections, title and
 * description say the attack looks like, shaped as the sensor reports it:
 * argv joined by spaces, no shell quoting, paths the kernel resolves) and a
 * negative row for each of its filters. {@code author} is the verdict the
 * rule's author gives the event; {@code ours} is what the sensor gives it
 * (the same unless the row says why not, in {@code why}). The rows were
 * proposed by a throwaway script from each selection and then reviewed and
 * rewritten by hand against each rule's description; they are never derived
 * from the rules at test time.
 */
class SigmaHqExamplesTest {
    /** SigmaHQ/sigma commit 8eaafff1 (see NOTICE.md): 122 + 5 + 8 rules. */
    static final int PROCESS_CREATION_RULES = 122;
    static final int NETWORK_CONNECTION_RULES = 5;
    static final int FILE_EVENT_RULES = 8;

    /** One example event, the author's verdict, ours, and why they differ (or what a negative row excludes). */
    record Row(@JsonProperty("rule") String rule, @JsonProperty("title") String title,
            @JsonProperty("author") String author, @JsonProperty("ours") String ours,
            @JsonProperty("event") Map<String, Object> event, @JsonProperty("why") String why) {
        boolean authorMatches() {
            return verdict(author);
        }

        boolean oursMatches() {
            return ours == null ? authorMatches() : verdict(ours);
        }

        private static boolean verdict(String v) {
            return switch (v) {
                case "match" -> true;
                case "no_match" -> false;
                default -> throw new IllegalArgumentException("verdict must be match or no_match, not " + v);
            };
        }
    }

    private static Map<String, SigmaRule> rules;
    private static List<Row> rows;

    @BeforeAll
    static void load() throws Exception {
        RuleSetCompiler.Result r = RuleSetCompiler.compile(RuleSource.of(List.of(dir("process_creation"),
                dir("network_connection"), dir("file_event"))), DetectionConfig.defaults());
        assertEquals(List.of(), r.errors().stream().map(RuleError::format).toList());
        rules = new LinkedHashMap<>();
        r.rules().forEach(rule -> rules.put(rule.id(), rule));
        try (InputStream in = SigmaHqExamplesTest.class.getResourceAsStream("/sigmahq/examples.yml")) {
            rows = List.of(new ObjectMapper(new YAMLFactory())
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                    .readValue(in, Row[].class));
        }
    }

    static Path dir(String category) {
        try {
            return Path.of(SigmaHqExamplesTest.class.getResource("/sigmahq/linux/" + category).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldLoadEverySigmaHqLinuxRuleOfTheCategoriesWeSee() throws IOException {
        assertEquals(PROCESS_CREATION_RULES, count(EventType.EXEC));
        assertEquals(NETWORK_CONNECTION_RULES, count(EventType.CONNECT));
        assertEquals(FILE_EVENT_RULES, count(EventType.FILE));
        // What `spawnwatch rules check` runs says the same: not one problem.
        assertEquals(List.of(), RuleCheck.check(dir("process_creation"), dir("network_connection"),
                dir("file_event")).stream().map(RuleError::format).toList());
        try (Stream<Path> files = Files.list(dir("process_creation"))) {
            assertEquals(PROCESS_CREATION_RULES, files.count()); // one rule per file: none skipped
        }
    }

    private static long count(EventType type) {
        return rules.values().stream().filter(r -> r.metadata().eventType() == type).count();
    }

    @TestFactory
    Stream<DynamicTest> shouldGiveEachExampleItsVerdict() {
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.title() + ": " + row.event(), () -> {
            SigmaRule rule = rules.get(row.rule());
            assertNotNull(rule, "no loaded rule has id " + row.rule());
            assertEquals(rule.metadata().title(), row.title(), "row's title for " + row.rule());
            if (row.authorMatches() != row.oursMatches() || !row.authorMatches()) {
                assertTrue(row.why() != null && !row.why().isBlank(), "row needs a why: " + row);
            }
            assertEquals(row.oursMatches(), rule.detection().matches(event(rule.metadata().eventType(), row.event())),
                    () -> row.title() + " (" + row.rule() + ") on " + row.event());
        }));
    }

    @Test
    void shouldHaveAPositiveExampleForEveryRuleAndANegativeForEveryFilter() throws IOException {
        Set<String> positive = rows.stream().filter(Row::authorMatches).map(Row::rule).collect(Collectors.toSet());
        assertEquals(new TreeSet<>(), new TreeSet<>(rules.keySet().stream().filter(id -> !positive.contains(id))
                .map(id -> rules.get(id).metadata().title()).toList()), "rules without a positive example");
        Set<String> negative = rows.stream().filter(r -> !r.authorMatches()).map(Row::rule).collect(Collectors.toSet());
        List<String> filteredWithoutNegative = new ArrayList<>();
        for (SigmaRule r : rules.values()) {
            if (Files.readString(Path.of(r.metadata().source())).contains("    filter")
                    && !negative.contains(r.id())) {
                filteredWithoutNegative.add(r.metadata().title());
            }
        }
        assertEquals(List.of(), filteredWithoutNegative, "rules with filters but no negative example");
    }

    /**
     * The counts the closing note gives: a rule matches its authors'
     * examples when the sensor gives every positive row of it the author's
     * verdict; the others are printed with the rows' reasons.
     */
    @Test
    void shouldMatchTheAuthorsExamplesOfAllButTheRulesListedWithReasons() {
        Set<String> missed = new TreeSet<>();
        rows.stream().filter(r -> r.authorMatches() && !r.oursMatches())
                .forEach(r -> missed.add(rules.get(r.rule()).metadata().title() + ": " + r.why()));
        long matching = rules.keySet().stream().filter(id -> rows.stream()
                .filter(r -> r.rule().equals(id) && r.authorMatches()).allMatch(Row::oursMatches)).count();
        System.out.printf("SigmaHQ Linux rules: %d loaded, %d match their authors' examples%n", rules.size(),
                matching);
        missed.forEach(m -> System.out.println("  not matched: " + m));
        assertEquals(PROCESS_CREATION_RULES + NETWORK_CONNECTION_RULES + FILE_EVENT_RULES, rules.size());
        assertEquals(EXPECTED_MATCHING, matching);
    }

    /**
     * All but four: Debian's alternatives symlinks for nc and vim (Image is
     * the file the kernel runs), and two rules that expect shell quoting or
     * redirection in the command line, which never reaches argv.
     */
    static final long EXPECTED_MATCHING = 131;

    /** A test event of the rule's type with the row's fields, named as rules name them. */
    static TestEvent event(EventType type, Map<String, Object> fields) {
        TestEvent e = switch (type) {
            case EXEC -> TestEvent.exec();
            case CONNECT -> TestEvent.connect();
            case FILE -> TestEvent.file();
            default -> throw new IllegalArgumentException("no SigmaHQ examples for " + type);
        };
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            Field field = FieldCatalog.resolve(f.getKey(), 0, type);
            if (f.getValue() instanceof List<?> items) {
                String[] args = items.stream().map(String::valueOf).toArray(String[]::new);
                if (field == Field.ARGS) {
                    e.argv(args);
                } else if (field == Field.PARENT_ARGS) {
                    e.parentArgv(args);
                } else {
                    throw new IllegalArgumentException(f.getKey() + " takes one value, not a list");
                }
            } else {
                e.set(field, String.valueOf(f.getValue()));
            }
        }
        return e;
    }
}
