package io.spawnwatch.rules.sigma;

import io.spawnwatch.rules.yaml.YamlException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The modifier chain of one detection key ({@code CommandLine|base64offset|contains}),
 * parsed and checked for combinations that make no sense, per the Sigma
 * modifiers appendix. Modifiers that cannot apply to linux events are refused
 * with the reason.
 */
public record Modifiers(Set<Modifier> set) {
    /** The modifiers we implement. */
    public enum Modifier {
        CONTAINS, STARTSWITH, ENDSWITH, ALL, EXISTS, CASED, NEQ, WINDASH, BASE64, BASE64OFFSET,
        RE, I, M, S, CIDR, LT, LTE, GT, GTE, EXPAND
    }

    private static final Map<String, String> REFUSED = Map.of(
            "utf16le", "argv and paths reach us as bytes, never UTF-16",
            "utf16be", "argv and paths reach us as bytes, never UTF-16",
            "utf16", "argv and paths reach us as bytes, never UTF-16",
            "wide", "argv and paths reach us as bytes, never UTF-16",
            "fieldref", "comparing two fields of one event is not supported",
            "minute", "time-part modifiers need a date field; events carry none",
            "hour", "time-part modifiers need a date field; events carry none",
            "day", "time-part modifiers need a date field; events carry none",
            "week", "time-part modifiers need a date field; events carry none",
            "month", "time-part modifiers need a date field; events carry none");

    private static final Set<Modifier> SHAPES = EnumSet.of(Modifier.CONTAINS, Modifier.STARTSWITH, Modifier.ENDSWITH);
    private static final Set<Modifier> NUMERIC = EnumSet.of(Modifier.LT, Modifier.LTE, Modifier.GT, Modifier.GTE);
    private static final Set<Modifier> RE_FLAGS = EnumSet.of(Modifier.I, Modifier.M, Modifier.S);

    /**
     * Parses the names after the field name.
     *
     * @throws YamlException naming the modifier that is unknown, refused or misplaced
     */
    public static Modifiers parse(List<String> names, String field, int line) {
        EnumSet<Modifier> set = EnumSet.noneOf(Modifier.class);
        for (String raw : names) {
            String name = raw.toLowerCase(Locale.ROOT);
            if (name.equals("year")) {
                throw new YamlException(line, "unsupported modifier 'year' on field " + field
                        + ": time-part modifiers need a date field; events carry none");
            }
            if (REFUSED.containsKey(name)) {
                throw new YamlException(line, "unsupported modifier '" + raw + "' on field " + field + ": "
                        + REFUSED.get(name));
            }
            Modifier m;
            try {
                m = Modifier.valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new YamlException(line, "unknown modifier '" + raw + "' on field " + field);
            }
            if (!set.add(m)) {
                throw new YamlException(line, "modifier '" + raw + "' repeated on field " + field);
            }
        }
        Modifiers mods = new Modifiers(set);
        mods.check(field, line);
        return mods;
    }

    public boolean has(Modifier m) {
        return set.contains(m);
    }

    private void check(String field, int line) {
        int shapes = count(SHAPES);
        if (shapes > 1) {
            conflict(field, line, "contains, startswith and endswith exclude each other");
        }
        if (has(Modifier.EXISTS) && set.size() > 1) {
            conflict(field, line, "exists takes no other modifier");
        }
        if (has(Modifier.RE) && (shapes > 0 || any(Modifier.CIDR, Modifier.WINDASH, Modifier.BASE64,
                Modifier.BASE64OFFSET, Modifier.CASED, Modifier.NEQ) || count(NUMERIC) > 0)) {
            conflict(field, line, "re takes only the flags i, m, s (and all, expand)");
        }
        if (count(RE_FLAGS) > 0 && !has(Modifier.RE)) {
            conflict(field, line, "the flags i, m, s apply to re only");
        }
        if (has(Modifier.CIDR) && (shapes > 0 || any(Modifier.WINDASH, Modifier.BASE64, Modifier.BASE64OFFSET,
                Modifier.CASED, Modifier.NEQ, Modifier.ALL) || count(NUMERIC) > 0)) {
            conflict(field, line, "cidr takes no string, numeric or all modifier");
        }
        if (count(NUMERIC) > 1) {
            conflict(field, line, "only one of lt, lte, gt, gte");
        }
        if (count(NUMERIC) > 0 && (shapes > 0 || any(Modifier.WINDASH, Modifier.BASE64, Modifier.BASE64OFFSET,
                Modifier.CASED, Modifier.NEQ))) {
            conflict(field, line, "lt/lte/gt/gte compare numbers and take no string modifier");
        }
        if (has(Modifier.BASE64) && has(Modifier.BASE64OFFSET)) {
            conflict(field, line, "base64 and base64offset exclude each other");
        }
        if (has(Modifier.NEQ) && (shapes > 0 || any(Modifier.ALL, Modifier.BASE64, Modifier.BASE64OFFSET))) {
            conflict(field, line, "neq compares whole values and takes no contains/startswith/endswith/all/base64");
        }
    }

    private int count(Set<Modifier> group) {
        int n = 0;
        for (Modifier m : group) {
            n += set.contains(m) ? 1 : 0;
        }
        return n;
    }

    private boolean any(Modifier... ms) {
        for (Modifier m : ms) {
            if (set.contains(m)) {
                return true;
            }
        }
        return false;
    }

    private static void conflict(String field, int line, String why) {
        throw new YamlException(line, "unsupported modifier combination on field " + field + ": " + why);
    }
}
