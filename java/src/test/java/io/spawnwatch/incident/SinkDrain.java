package io.spawnwatch.incident;

import io.spawnwatch.output.Sink;
import io.spawnwatch.output.SinkStats;
import java.time.Duration;

/** Waiting for a sink's writer in tests: close() would count what it has not written yet as dropped. */
public final class SinkDrain {
    private SinkDrain() {}

    /** Waits (at most {@code timeout}) until every offered document is written, dropped or failed. */
    public static SinkStats await(Sink sink, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            SinkStats s = sink.stats();
            if (s.queued() == 0 && s.written() + s.errors() + s.dropped() == s.offered()) {
                return s;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("sink " + sink.name() + " did not drain within " + timeout + ": " + sink.stats());
    }
}
