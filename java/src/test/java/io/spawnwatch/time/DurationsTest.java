package io.spawnwatch.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One parser for the CLI, the control protocol, the configuration and rule files: the same forms everywhere. */
class DurationsTest {
    @Test
    void shouldAcceptEveryFormTheCliAndTheConfigurationEachAcceptedBefore() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m")); // the CLI's; the configuration refused it
        assertEquals(Duration.ofDays(14), Durations.parse("2w")); // the configuration's; the CLI refused it
        assertEquals(Duration.ofMinutes(61), Durations.parse("61m"));
        assertEquals(Duration.ofDays(2), Durations.parse("2d"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1500ms"));
        assertEquals(Duration.ofHours(1), Durations.parse("PT1H"));
        assertEquals(Duration.ofHours(1), Durations.parse("pt1h"));
        assertEquals(Duration.ofDays(7).plusHours(12), Durations.parse(" 1W12H "));
    }

    @Test
    void shouldRefuseWhatIsNotADurationWithTheAcceptedForms() {
        for (String bad : new String[] {"1 hour", "", "h", "10", "5y", "1h30", "-5m", "9999999999999w"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad));
            assertEquals("'" + bad + "' is not a duration: use e.g. 30s, 15m, 2h, 1d, 2w or 1h30m", e.getMessage());
        }
        assertEquals("'PT-1H' is negative: expected a duration of zero or more",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("PT-1H")).getMessage());
    }

    @Test
    void shouldFormatTheShortForm() {
        assertEquals("1d1h1m1s", Durations.format(Duration.ofSeconds(90061)));
        assertEquals("1h1m", Durations.format(Duration.ofMinutes(61)));
        assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
        assertEquals("0s", Durations.format(Duration.ZERO));
    }
}
