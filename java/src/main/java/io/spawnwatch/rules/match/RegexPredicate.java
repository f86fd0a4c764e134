package io.spawnwatch.rules.match;

import java.util.regex.Pattern;

/**
 * Sigma's {@code re} modifier: a Java regex searched anywhere in the value
 * ({@code find}, as Sigma evaluators do). Used only where a rule asks for it;
 * the compiler never turns a plain value into a regex.
 *
 * <p>{@code Pattern.matcher} allocates, so each thread keeps one
 * {@link java.util.regex.Matcher} per pattern and resets it onto the value;
 * after the test it is reset onto "" so it does not hold the event's buffer.
 */
public final class RegexPredicate implements TextPredicate {
    private final Pattern pattern;
    private final ThreadLocal<java.util.regex.Matcher> matcher;

    public RegexPredicate(Pattern pattern) {
        this.pattern = pattern;
        this.matcher = ThreadLocal.withInitial(() -> pattern.matcher(""));
    }

    @Override
    public boolean test(CharSequence value) {
        java.util.regex.Matcher m = matcher.get();
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
