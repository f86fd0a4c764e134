package io.spawnwatch.time;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one parser of durations as operators write them, for the CLI ({@code --since}), the control protocol,
 * the configuration and rule files alike: a number and a unit ({@code 500ms}, {@code 30s}, {@code 61m},
 * {@code 2h}, {@code 7d}, {@code 2w}), several of them ({@code 1h30m}), or ISO-8601 ({@code PT1H}); units are
 * case-insensitive; negative durations are refused.
 */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,12}(?:ms|s|m|h|d|w))+");
    private static final Pattern PART = Pattern.compile("(\\d{1,12})(ms|s|m|h|d|w)");

    private Durations() {}

    /** @throws IllegalArgumentException with a one-line message that shows the accepted forms */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                if (d.isNegative()) {
                    throw new IllegalArgumentException("'" + text + "' is negative: expected a duration of zero or more");
                }
                return d;
            }
            if (WHOLE.matcher(t).matches()) {
                Duration d = Duration.ZERO;
                Matcher m = PART.matcher(t);
                while (m.find()) {
                    long n = Long.parseLong(m.group(1));
                    d = d.plus(switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        case "d" -> Duration.ofDays(n);
                        default -> Duration.ofDays(Math.multiplyExact(7, n));
                    });
                }
                return d;
            }
        } catch (ArithmeticException | DateTimeParseException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration: use e.g. 30s, 15m, 2h, 1d, 2w or 1h30m");
    }

    /** The short form, e.g. 1h30m, 45s, 500ms, 0s (days are the largest unit). */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return d.toMillis() == 0 ? "0s" : d.toMillis() + "ms";
        }
        StringBuilder b = new StringBuilder();
        long days = s / 86400;
        long hours = s / 3600 % 24;
        long minutes = s / 60 % 60;
        long seconds = s % 60;
        if (days > 0) {
            b.append(days).append('d');
        }
        if (hours > 0) {
            b.append(hours).append('h');
        }
        if (minutes > 0) {
            b.append(minutes).append('m');
        }
        if (seconds > 0) {
            b.append(seconds).append('s');
        }
        return b.toString();
    }

    /** Reads these durations in configuration classes bound by Jackson (the error names the key). */
    public static final class Json extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            try {
                return parse(p.getValueAsString());
            } catch (IllegalArgumentException e) {
                return (Duration) ctx.handleWeirdStringValue(Duration.class, p.getValueAsString(), e.getMessage());
            }
        }
    }
}
