package io.spawnwatch.rules.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.match.LiteralPredicates.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compiled predicates agree with the obvious String-based definitions. */
class MatchersTest {
    private static final String ALPHABET = "abcAB /-|é";

    private static String random(Random r, int maxLen) {
        int n = r.nextInt(maxLen + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    private static String fold(String s) {
        return CaseFolding.fold(s);
    }

    @Test
    void shouldAgreeWithStringMethodsForEveryLiteralShape() {
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            String lit = random(r, 3);
            String value = random(r, 8);
            boolean cased = r.nextBoolean();
            String v = cased ? value : fold(value);
            String l = cased ? lit : fold(lit);
            assertEquals(v.equals(l), LiteralPredicates.of(Shape.EQUALS, lit, cased).test(value));
            assertEquals(v.startsWith(l), LiteralPredicates.of(Shape.STARTSWITH, lit, cased).test(value));
            assertEquals(v.endsWith(l), LiteralPredicates.of(Shape.ENDSWITH, lit, cased).test(value));
            assertEquals(v.contains(l), LiteralPredicates.of(Shape.CONTAINS, lit, cased).test(value));
        }
    }

    @Test
    void shouldFindAnyNeedleWithTheAutomatonExactlyAsALoopWould() {
        Random r = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            List<String> needles = new ArrayList<>();
            for (int k = 0; k < 1 + r.nextInt(8); k++) {
                String n = random(r, 4);
                needles.add(n.isEmpty() ? "a" : n);
            }
            ContainsAnyOf ac = ContainsAnyOf.build(needles, false);
            for (int j = 0; j < 20; j++) {
                String value = random(r, 12);
                boolean expected = needles.stream().anyMatch(n -> fold(value).contains(fold(n)));
                assertEquals(expected, ac.test(value), needles + " in '" + value + "'");
            }
        }
    }

    @Test
    void shouldLookUpExactValuesIgnoringCase() {
        ExactSet set = new ExactSet(List.of("bash", "DASH", "sh", "zsh", "ÉTé"), false);
        assertTrue(set.test("BASH"));
        assertTrue(set.test("dash"));
        assertTrue(set.test("Été")); // the ASCII T folds
        assertFalse(set.test("été"), "non-ASCII letters match in their own case (event text is UTF-8 bytes)");
        assertFalse(set.test("bas"));
        assertFalse(set.test(""));
        ExactSet cased = new ExactSet(List.of("Bash", "x", "y", "z"), true);
        assertTrue(cased.test("Bash"));
        assertFalse(cased.test("bash"));
    }

    @Test
    void shouldGlobWithStarAndQuestionMarkLikeARegexWould() {
        Random r = new Random(3);
        String chars = "ab*?";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder pattern = new StringBuilder();
            for (int k = 0; k < r.nextInt(6); k++) {
                pattern.append(chars.charAt(r.nextInt(chars.length())));
            }
            int[] codes = pattern.chars().map(c -> c == '*' ? GlobPredicate.STAR : c == '?' ? GlobPredicate.ONE : c)
                    .toArray();
            String regex = pattern.toString().replace("?", ".").replace("*", ".*");
            String value = random(new Random(i), 6).replaceAll("[^ab]", "a");
            assertEquals(value.matches(regex), new GlobPredicate(codes, true, pattern.toString()).test(value),
                    pattern + " on " + value);
        }
    }

    @Test
    void shouldParseAddressLiteralsWithoutResolvingNames() {
        assertEquals(4, CidrSet.parseLiteral("10.0.0.1").length);
        assertEquals(16, CidrSet.parseLiteral("fe80::1").length);
        assertNull(CidrSet.parseLiteral("localhost"));
        assertNull(CidrSet.parseLiteral("10.0.0"));
        assertNull(CidrSet.parseLiteral("zz::1"));
    }

    @Test
    void shouldRefuseMalformedNetworksNamingThem() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CidrSet.of(Field.DESTINATION_IP, List.of("10.0.0.0/33")));
        assertEquals("prefix length out of range in '10.0.0.0/33': max=32", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CidrSet.of(Field.DESTINATION_IP, List.of("example.com/8")));
        assertEquals("not an IP network: 'example.com/8'", e.getMessage());
    }
}
