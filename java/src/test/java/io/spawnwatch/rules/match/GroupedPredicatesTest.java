package io.spawnwatch.rules.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.rules.match.LiteralPredicates.Shape;
import io.spawnwatch.rules.sigma.SigmaString;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The grouped forms {@link TextPredicates#anyOf} builds (prefix and suffix
 * tries, wildcard patterns behind a guard) answer exactly as the list of
 * predicates they replace, tested one by one.
 */
class GroupedPredicatesTest {
    private static final String ALPHABET = "abcAB /-*?é";

    private static String random(Random r, int maxLen) {
        int n = r.nextInt(maxLen + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    @Test
    void shouldMatchPrefixesAndSuffixesWithTheTrieExactlyAsALoopWould() {
        Random r = new Random(11);
        for (int i = 0; i < 3_000; i++) {
            boolean cased = r.nextBoolean();
            boolean suffix = r.nextBoolean();
            Shape shape = suffix ? Shape.ENDSWITH : Shape.STARTSWITH;
            List<String> literals = new ArrayList<>();
            List<TextPredicate> loop = new ArrayList<>();
            for (int k = 0; k < 1 + r.nextInt(8); k++) {
                String lit = random(r, 4).replace("*", "").replace("?", "");
                lit = lit.isEmpty() ? "a" : lit;
                LiteralPredicates.Literal p = (LiteralPredicates.Literal) LiteralPredicates.of(shape, lit, cased);
                literals.add(p.literal());
                loop.add(p);
            }
            AffixAnyOf trie = AffixAnyOf.build(literals, suffix, cased);
            for (int j = 0; j < 20; j++) {
                String value = random(r, 10);
                boolean expected = loop.stream().anyMatch(p -> p.test(value));
                assertEquals(expected, trie.test(value), shape + " " + literals + " cased=" + cased + " on '"
                        + value + "'");
            }
        }
    }

    @Test
    void shouldRefuseAnEmptyAffixWhichMatchesEverything() {
        assertNull(AffixAnyOf.build(List.of("/bin/", ""), false, false));
    }

    @Test
    void shouldEndWithAnyToolNameIgnoringCase() {
        AffixAnyOf tools = AffixAnyOf.build(List.of("/nc", "/netcat", "/curl", "/wget"), true, false);
        assertTrue(tools.test("/usr/bin/curl"));
        assertTrue(tools.test("/USR/BIN/NC"));
        assertFalse(tools.test("/usr/bin/ncurl"));
        assertFalse(tools.test("nc"));
        assertFalse(tools.test(""));
    }

    @Test
    void shouldNeedTheLongestLiteralRunOfAPattern() {
        assertEquals("timeout ", glob("*timeout *sh -c *").requiredLiteral());
        assertEquals("/environ", glob("*/proc/*/environ*").requiredLiteral());
        assertNull(glob("*?*").requiredLiteral());
    }

    @Test
    void shouldAnswerAsTheListItReplacesForMixedShapesAndPatterns() {
        Random r = new Random(5);
        int guarded = 0;
        for (int i = 0; i < 3_000; i++) {
            boolean cased = r.nextBoolean();
            List<TextPredicate> predicates = new ArrayList<>();
            for (int k = 0; k < 1 + r.nextInt(12); k++) {
                String value = random(r, 5);
                predicates.add(SigmaString.parse(r.nextInt(3) == 0 ? "*" + value + "*" : value).toPredicate(cased));
            }
            TextPredicate any = TextPredicates.anyOf(predicates);
            guarded += any.toString().contains("guarded") ? 1 : 0;
            for (int j = 0; j < 20; j++) {
                String value = random(r, 10).replace("*", "").replace("?", "");
                boolean expected = predicates.stream().anyMatch(p -> p.test(value));
                assertEquals(expected, any.test(value), predicates + " on '" + value + "'");
            }
        }
        assertTrue(guarded > 100, "patterns were grouped behind a guard in " + guarded + " lists");
    }

    @Test
    void shouldGroupSuffixesAndPatternsOfAShippedRuleList() {
        List<TextPredicate> predicates = new ArrayList<>();
        for (String s : List.of("*/nc", "*/netcat", "*/ncat", "*/telnet", "*/socat")) {
            predicates.add(SigmaString.parse(s).toPredicate(false));
        }
        for (String s : List.of("*base64 -d*", "*stty*raw*-echo*", "*timeout *sh -c *")) {
            predicates.add(SigmaString.parse(s).toPredicate(false));
        }
        TextPredicates.AnyText any = assertInstanceOf(TextPredicates.AnyText.class,
                TextPredicates.anyOf(predicates));
        assertEquals(3, any.parts().length, any.toString()); // suffixes, the one "contains", the patterns
        assertInstanceOf(AffixAnyOf.class, any.parts()[0]);
        assertInstanceOf(TextPredicates.GuardedAny.class, any.parts()[2]);
        assertTrue(any.test("/usr/bin/NC"));
        assertTrue(any.test("sh -c stty raw -echo; fg"));
        assertFalse(any.test("sh -c stty -echo raw")); // the guard's literal is there, no pattern matches
        assertFalse(any.test("convert in.png -resize 50% out.png"));
    }

    private static GlobPredicate glob(String sigma) {
        return assertInstanceOf(GlobPredicate.class, SigmaString.parse(sigma).toPredicate(false));
    }
}
