package io.spawnwatch.control;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: 30s, 15m, 2h, 1d, 1h30m, 500ms, or ISO-8601 (PT1H). */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    /** @throws IllegalArgumentException with a message that shows the accepted forms */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return nonNegative(text, Duration.parse(t));
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
                        default -> Duration.ofDays(n);
                    });
                }
                return d;
            }
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            // Falls through to the message below.
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration: use e.g. 30s, 15m, 2h, 1d or 1h30m");
    }

    /** The short form, e.g. 1h30m, 45s, 0s. */
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

    private static Duration nonNegative(String text, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative: a duration counts back from now");
        }
        return d;
    }
}
