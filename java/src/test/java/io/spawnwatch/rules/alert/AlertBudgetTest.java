package io.spawnwatch.rules.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlertBudgetTest {
    private static final long MINUTE = 60_000_000_000L;

    @Test
    void shouldAdmitUpToTheBoundPerWindowAndReportWhatWasHeldBackOnceTheWindowEnds() {
        AlertBudget b = new AlertBudget(3, 100, MINUTE, 16);
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            admitted += b.admit("r", "title", 1, "nginx", i) ? 1 : 0;
        }
        assertEquals(3, admitted);
        assertEquals(7, b.heldByRule());
        assertEquals(List.of(), b.due(MINUTE - 1), "the window is still open");
        List<AlertBudget.Summary> due = b.due(MINUTE + 5);
        assertEquals(1, due.size());
        assertEquals(7, due.getFirst().heldBack());
        assertEquals("rule title (r)", due.getFirst().subject());
        assertEquals(List.of(), b.due(MINUTE + 6), "each window is reported once");
        assertTrue(b.admit("r", "title", 1, "nginx", MINUTE + 7), "a new window admits again");
    }

    @Test
    void shouldBoundEachWebServerSeparatelyAndForgetTheLeastRecentBeyondItsCapacity() {
        AlertBudget b = new AlertBudget(1000, 2, MINUTE, 2);
        assertTrue(b.admit("r", "t", 1, "nginx", 0));
        assertTrue(b.admit("q", "t", 1, "nginx", 1));
        assertFalse(b.admit("r", "t", 1, "nginx", 2), "web server 1 spent its budget across rules");
        assertTrue(b.admit("r", "t", 2, "apache2", 3));
        assertTrue(b.admit("r", "t", 3, "php-fpm", 4)); // a third server: the first is forgotten
        assertEquals(1, b.evictions());
        assertEquals(1, b.heldByWebServer());
    }
}
