package io.spawnwatch.rules.match;

import com.google.re2j.Pattern;

/**
 * Sigma's {@code re} modifier: a regular expression searched anywhere in the
 * value ({@code find}, as Sigma evaluators do). Used only where a rule asks for
 * it; the compiler never turns a plain value into a regex.
 *
 * <p>The engine is RE2/J, not {@code java.util.regex}: RE2 runs in time linear
 * in the input whatever the pattern, so a pattern copied from the internet such
 * as {@code (.*a){11}!x} cannot be made to backtrack for ever by an attacker
 * who chooses the command line (with {@code java.util.regex} that one pattern
 * over 1,000 characters stops the ring reader for good). The price is RE2
 * syntax: no backreferences and no lookaround; such a pattern is refused when
 * the rule is loaded, with the reason.
 *
 * <p>{@code Pattern.matcher} allocates, so each thread keeps one matcher per
 * pattern and resets it onto the value; after the test it is reset onto ""
 * so it does not hold the event's buffer.
 */
public final class RegexPredicate implements TextPredicate {
    private final Pattern pattern;
    private final ThreadLocal<com.google.re2j.Matcher> matcher;

    public RegexPredicate(Pattern pattern) {
        this.pattern = pattern;
        this.matcher = ThreadLocal.withInitial(() -> pattern.matcher(""));
    }

    @Override
    public boolean test(CharSequence value) {
        com.google.re2j.Matcher m = matcher.get();
        try {
            return m.reset(value).find();
        } finally {
            m.reset("");
        }
    }

    public Pattern pattern() {
        return pattern;
    }

    @Override
    public String toString() {
        return "re('" + pattern.pattern() + "', flags=" + pattern.flags() + ")";
    }
}
