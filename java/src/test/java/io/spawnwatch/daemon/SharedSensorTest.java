package io.spawnwatch.daemon;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of kernel test classes whose tests share one real sensor (default
 * configuration, baselines in memory), started before the first test of the
 * class and stopped after the last.
 */
abstract class SharedSensorTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static SensorHarness harness;

    @BeforeAll
    static void startSensor() throws Exception {
        harness = SensorHarness.start();
    }

    @AfterAll
    static void stopSensor() {
        if (harness != null) {
            harness.close();
            harness = null;
        }
    }
}
