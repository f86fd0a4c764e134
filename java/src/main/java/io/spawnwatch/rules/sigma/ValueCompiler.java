package io.spawnwatch.rules.sigma;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.spawnwatch.event.Utf8Chars;
import io.spawnwatch.event.Field;
import io.spawnwatch.rules.match.CidrSet;
import io.spawnwatch.rules.match.FieldMatchers;
import io.spawnwatch.rules.match.FieldMatchers.Comparison;
import io.spawnwatch.rules.match.Logic;
import io.spawnwatch.rules.match.Matcher;
import io.spawnwatch.rules.match.RegexPredicate;
import io.spawnwatch.rules.match.TextPredicate;
import io.spawnwatch.rules.match.TextPredicates;
import io.spawnwatch.rules.sigma.Modifiers.Modifier;
import io.spawnwatch.rules.yaml.YamlException;
import io.spawnwatch.rules.yaml.YamlTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.spawnwatch.rules.yaml.Node;
import io.spawnwatch.rules.yaml.SequenceNode;

/**
 * Compiles one {@code field|modifiers: value(s)} item into a matcher, with the
 * Sigma value semantics: case-insensitive unless {@code cased}, wildcards,
 * a list is OR unless {@code all}, placeholders through {@code expand}.
 * Numbers compare as numbers, addresses as bytes, text never through a regex
 * unless the rule says {@code re}.
 */
public final class ValueCompiler {
    private final Map<String, List<String>> placeholders;

    /** @param placeholders named value lists for {@code |expand: '%name%'} */
    public ValueCompiler(Map<String, List<String>> placeholders) {
        this.placeholders = placeholders;
    }

    public Matcher compile(Field field, String name, Modifiers mods, Node valueNode) {
        int line = YamlTree.line(valueNode);
        if (mods.has(Modifier.EXISTS)) {
            return new FieldMatchers.Presence(field, YamlTree.bool(valueNode, name + "|exists"));
        }
        if (YamlTree.isNull(valueNode)) {
            if (!mods.set().isEmpty()) {
                throw new YamlException(line, "field " + name + ": null takes no modifiers");
            }
            return new FieldMatchers.Presence(field, false);
        }
        List<String> raw = rawValues(valueNode, name);
        if (mods.has(Modifier.ALL) && raw.size() < 2) {
            throw new YamlException(line, "field " + name + ": the all modifier needs a list of at least two values");
        }
        List<String> values = mods.has(Modifier.EXPAND) ? expand(raw, name, line) : raw;
        if (values.isEmpty()) {
            return Matcher.NEVER; // an empty operator list: nothing can match it
        }
        boolean all = mods.has(Modifier.ALL);
        if (mods.has(Modifier.CIDR)) {
            return cidr(field, name, values, line);
        }
        Comparison cmp = comparison(mods);
        if (cmp != null) {
            return numbers(field, name, cmp, values, all, line);
        }
        if (mods.has(Modifier.NEQ)) {
            return notEqual(field, name, mods, values, line);
        }
        if (mods.has(Modifier.RE)) {
            return regex(field, name, mods, values, all, line);
        }
        return strings(field, name, mods, values, all, line);
    }

    private static List<String> rawValues(Node valueNode, String name) {
        if (valueNode instanceof SequenceNode seq) {
            if (seq.getValue().isEmpty()) {
                throw new YamlException(YamlTree.line(seq), "field " + name + ": empty list of values");
            }
            List<String> out = new ArrayList<>();
            for (Node item : seq.getValue()) {
                if (YamlTree.isNull(item)) {
                    throw new YamlException(YamlTree.line(item), "field " + name
                            + ": null cannot be part of a list of values; test it in its own selection");
                }
                if (!YamlTree.isScalar(item)) {
                    throw new YamlException(YamlTree.line(item), "field " + name
                            + ": nested lists or mappings as values are not supported");
                }
                out.add(YamlTree.text(item, name));
            }
            return out;
        }
        if (!YamlTree.isScalar(valueNode)) {
            throw new YamlException(YamlTree.line(valueNode), "field " + name
                    + ": a mapping as a value is not supported (values are a string, a number or a list)");
        }
        return List.of(YamlTree.text(valueNode, name));
    }

    private List<String> expand(List<String> raw, String name, int line) {
        List<String> out = new ArrayList<>();
        for (String v : raw) {
            if (v.length() > 2 && v.startsWith("%") && v.endsWith("%") && v.indexOf('%', 1) == v.length() - 1) {
                String key = v.substring(1, v.length() - 1);
                List<String> list = placeholders.get(key);
                if (list == null) {
                    throw new YamlException(line, "field " + name + ": unknown placeholder %" + key
                            + "%; configured lists: " + String.join(", ", placeholders.keySet()));
                }
                out.addAll(list);
            } else if (v.indexOf('%') >= 0) {
                throw new YamlException(line, "field " + name + ": a placeholder must be the whole value ('%name%'),"
                        + " not part of '" + v + "'");
            } else {
                out.add(v);
            }
        }
        return out;
    }

    private static Matcher cidr(Field field, String name, List<String> values, int line) {
        if (field.kind() != Field.Kind.ADDRESS) {
            throw new YamlException(line, "field " + name + ": cidr applies to address fields"
                    + " (DestinationIp, SourceIp) only");
        }
        try {
            return CidrSet.of(field, values);
        } catch (IllegalArgumentException e) {
            throw new YamlException(line, "field " + name + "|cidr: " + e.getMessage());
        }
    }

    private static Comparison comparison(Modifiers mods) {
        if (mods.has(Modifier.LT)) {
            return Comparison.LT;
        }
        if (mods.has(Modifier.LTE)) {
            return Comparison.LTE;
        }
        if (mods.has(Modifier.GT)) {
            return Comparison.GT;
        }
        return mods.has(Modifier.GTE) ? Comparison.GTE : null;
    }

    private static Matcher numbers(Field field, String name, Comparison cmp, List<String> values, boolean all,
            int line) {
        if (field.kind() != Field.Kind.NUMBER) {
            throw new YamlException(line, "field " + name + ": " + cmp.name().toLowerCase()
                    + " compares numbers; " + name + " is not a numeric field");
        }
        List<Matcher> parts = new ArrayList<>();
        for (String v : values) {
            parts.add(new FieldMatchers.Number(field, cmp, number(v, name, line)));
        }
        return all ? Logic.and(parts) : Logic.or(parts);
    }

    private static long number(String v, String name, int line) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new YamlException(line, "field " + name + ": '" + v + "' is not an integer");
        }
    }

    private static boolean allIntegers(List<String> values) {
        for (String v : values) {
            if (!v.trim().matches("-?\\d{1,18}")) {
                return false;
            }
        }
        return true;
    }

    private static Matcher notEqual(Field field, String name, Modifiers mods, List<String> values, int line) {
        if (field.kind() == Field.Kind.NUMBER) {
            if (!allIntegers(values)) {
                throw new YamlException(line, "field " + name + "|neq: numeric field needs integer values");
            }
            return new FieldMatchers.NumberNotIn(field, values.stream().mapToLong(v -> number(v, name, line)).toArray());
        }
        boolean cased = mods.has(Modifier.CASED);
        List<TextPredicate> eq = new ArrayList<>();
        for (String v : values) {
            eq.add(SigmaString.parse(v).toPredicate(cased));
        }
        return new FieldMatchers.TextNotEqual(field, TextPredicates.anyOf(eq));
    }

    private static Matcher regex(Field field, String name, Modifiers mods, List<String> values, boolean all,
            int line) {
        // RE2 syntax, evaluated in linear time (see RegexPredicate for why). Event text is UTF-8 bytes one
        // per char (Utf8Chars): the pattern is turned into the same form.
        int flags = (mods.has(Modifier.I) ? Pattern.CASE_INSENSITIVE : 0)
                | (mods.has(Modifier.M) ? Pattern.MULTILINE : 0)
                | (mods.has(Modifier.S) ? Pattern.DOTALL : 0);
        List<TextPredicate> preds = new ArrayList<>();
        for (String v : values) {
            if (mods.has(Modifier.I) && !v.chars().allMatch(ch -> ch < 0x80)) {
                // Over one-byte-per-char text RE2 would also fold Latin-1 letters, i.e. unrelated UTF-8 bytes.
                throw new YamlException(line, "field " + name + "|re|i: '" + v + "' has non-ASCII characters;"
                        + " case-insensitive matching folds ASCII letters only: drop |i and write both cases");
            }
            try {
                preds.add(new RegexPredicate(Pattern.compile(Utf8Chars.of(v), flags)));
            } catch (PatternSyntaxException e) {
                throw new YamlException(line, "field " + name + "|re: invalid regular expression '" + v + "': "
                        + e.getDescription() + " (regular expressions use RE2 syntax, evaluated in linear time:"
                        + " no backreferences, no lookaround)");
            }
        }
        return new FieldMatchers.Text(field, all ? TextPredicates.allOf(preds) : TextPredicates.anyOf(preds));
    }

    private static Matcher strings(Field field, String name, Modifiers mods, List<String> values, boolean all,
            int line) {
        boolean transforms = mods.has(Modifier.CONTAINS) || mods.has(Modifier.STARTSWITH)
                || mods.has(Modifier.ENDSWITH) || mods.has(Modifier.WINDASH) || mods.has(Modifier.BASE64)
                || mods.has(Modifier.BASE64OFFSET);
        if (!transforms && field.kind() == Field.Kind.NUMBER) {
            if (!allIntegers(values)) {
                throw new YamlException(line, "field " + name + " is numeric; '" + values.getFirst()
                        + "' is not an integer (use a string modifier to match its digits)");
            }
            long[] nums = values.stream().mapToLong(v -> number(v, name, line)).toArray();
            if (!all) {
                return nums.length == 1
                        ? new FieldMatchers.Number(field, Comparison.EQ, nums[0])
                        : new FieldMatchers.NumberIn(field, nums);
            }
        }
        if (!transforms && !all && field.kind() == Field.Kind.ADDRESS
                && values.stream().allMatch(v -> CidrSet.parseLiteral(v) != null)) {
            return CidrSet.of(field, values); // an address compares as bytes: "::1" equals "0:0::1"
        }
        // base64 output is case-significant: matching it case-insensitively would match other bytes.
        boolean cased = mods.has(Modifier.CASED) || mods.has(Modifier.BASE64) || mods.has(Modifier.BASE64OFFSET);
        List<TextPredicate> flat = new ArrayList<>();
        List<TextPredicate> groups = new ArrayList<>();
        for (String v : values) {
            List<TextPredicate> expansions = new ArrayList<>();
            for (SigmaString s : transform(SigmaString.parse(v), name, mods, line)) {
                expansions.add(shape(s, mods).toPredicate(cased));
            }
            flat.addAll(expansions);
            groups.add(TextPredicates.anyOf(expansions));
        }
        if (all && field.kind() == Field.Kind.LIST) {
            // Each value must match some item, not necessarily the same one (an ECS array in a query).
            List<Matcher> each = new ArrayList<>();
            for (TextPredicate g : groups) {
                each.add(new FieldMatchers.Text(field, g));
            }
            return Logic.and(each);
        }
        return new FieldMatchers.Text(field, all ? TextPredicates.allOf(groups) : TextPredicates.anyOf(flat));
    }

    private static List<SigmaString> transform(SigmaString s, String name, Modifiers mods, int line) {
        List<SigmaString> out = List.of(s);
        if (mods.has(Modifier.WINDASH)) {
            out = s.permute(ValueEncodings.DASHES, ValueEncodings.DASHES, ValueEncodings.WINDASH_LIMIT);
            if (out == null) {
                throw new YamlException(line, "field " + name + "|windash: '" + s.source() + "' has too many dashes"
                        + " (more than " + ValueEncodings.WINDASH_LIMIT + " variants)");
            }
        }
        if (mods.has(Modifier.BASE64) || mods.has(Modifier.BASE64OFFSET)) {
            List<SigmaString> enc = new ArrayList<>();
            for (SigmaString v : out) {
                if (v.hasWildcards()) {
                    throw new YamlException(line, "field " + name + ": base64 of a value with wildcards ('"
                            + v.source() + "') cannot be matched");
                }
                if (mods.has(Modifier.BASE64)) {
                    enc.add(SigmaString.literal(ValueEncodings.base64(v.plain())));
                } else {
                    for (String o : ValueEncodings.base64Offsets(v.plain())) {
                        enc.add(SigmaString.literal(o));
                    }
                }
            }
            out = enc;
        }
        return out;
    }

    private static SigmaString shape(SigmaString s, Modifiers mods) {
        if (mods.has(Modifier.CONTAINS)) {
            return s.wrap(true, true);
        }
        if (mods.has(Modifier.STARTSWITH)) {
            return s.wrap(false, true);
        }
        if (mods.has(Modifier.ENDSWITH)) {
            return s.wrap(true, false);
        }
        return s;
    }
}
