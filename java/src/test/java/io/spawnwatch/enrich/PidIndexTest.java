package io.spawnwatch.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PidIndexTest {

    @Test
    void shouldAgreeWithAHashMapUnderRandomPutsAndRemoves() {
        PidIndex index = new PidIndex(256);
        Map<Integer, Integer> model = new HashMap<>();
        Random random = new Random(42);
        for (int step = 0; step < 200_000; step++) {
            int pid = 1 + random.nextInt(600);
            if (random.nextBoolean() && model.size() < 256) {
                index.put(pid, step);
                model.put(pid, step);
            } else {
                index.remove(pid);
                model.remove(pid);
            }
            int probe = 1 + random.nextInt(600);
            assertEquals(model.getOrDefault(probe, -1), index.get(probe), "pid=" + probe + " step=" + step);
        }
    }
}
