package io.spawnwatch.rules.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spawnwatch.rules.baseline.Key;
import org.junit.jupiter.api.Test;

class AlertDeduplicatorTest {
    private static final long W = 100;

    @Test
    void shouldCountRepeatsInsideTheWindowAndHandThemToTheNextAlert() {
        AlertDeduplicator d = new AlertDeduplicator(10);
        Key k = new Key(1, 1);
        assertEquals(0, d.admit(k, 0, W));
        assertEquals(-1, d.admit(k, 50, W));
        assertEquals(-1, d.admit(k, 99, W));
        assertEquals(2, d.admit(k, 100, W));
        assertEquals(0, d.admit(k, 300, W));
    }

    @Test
    void shouldBoundKeysAndCountEvictions() {
        AlertDeduplicator d = new AlertDeduplicator(3);
        for (int i = 0; i < 10; i++) {
            d.admit(new Key(i, i), 0, W);
        }
        assertEquals(3, d.size());
        assertEquals(7, d.evictions());
        assertEquals(0, d.admit(new Key(0, 0), 1, W)); // evicted: alerts again
    }
}
