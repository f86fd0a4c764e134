package io.spawnwatch.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class QueuedSinkTest {

    /** A sink that records what it writes; a write fails while {@code failing}, blocks while {@code gate} is shut. */
    static final class Recording extends QueuedSink {
        final List<String> lines = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        volatile boolean failing;
        volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch entered = new CountDownLatch(1);

        Recording(int capacity, long drainNanos) {
            super("recording", capacity, drainNanos);
        }

        @Override
        public boolean wants(DocumentKind kind) {
            return kind == DocumentKind.ALERT;
        }

        @Override
        protected void write(Document d) throws IOException {
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException("interrupted");
            }
            if (failing) {
                throw new IOException("No space left on device");
            }
            synchronized (this) {
                lines.add(new String(d.line(), StandardCharsets.UTF_8));
                calls.add("write");
            }
        }

        @Override
        protected synchronized void flush() {
            calls.add("flush");
        }

        @Override
        protected synchronized void closeOutput() {
            calls.add("close");
        }

        synchronized List<String> calls() {
            return List.copyOf(calls);
        }
    }

    static Document doc(String json) {
        return new Document(DocumentKind.ALERT, (json + "\n").getBytes(StandardCharsets.UTF_8), 7, 8, 9);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in 10 s");
            Thread.sleep(5);
        }
    }

    @Test
    void shouldWriteEveryDocumentInOrderThenFlushWhenTheQueueRunsEmpty() throws Exception {
        Recording sink = new Recording(16, TimeUnit.SECONDS.toNanos(5));
        for (int i = 0; i < 10; i++) {
            sink.offer(doc("{\"n\":" + i + "}"));
        }
        await(() -> sink.stats().written() == 10);
        await(() -> sink.calls().contains("flush"));
        sink.close();
        assertEquals(new SinkStats(10, 10, 0, 0, 0), sink.stats());
        for (int i = 0; i < 10; i++) {
            assertEquals("{\"n\":" + i + "}\n", sink.lines.get(i));
        }
        List<String> calls = sink.calls();
        assertEquals("close", calls.getLast());
        assertEquals(1, calls.stream().filter("close"::equals).count());
    }

    @Test
    void shouldDropAndCountWhatDoesNotFitWithoutBlockingTheCaller() throws Exception {
        Recording sink = new Recording(4, TimeUnit.SECONDS.toNanos(5));
        sink.gate = new CountDownLatch(1);
        sink.offer(doc("{\"n\":0}"));
        assertTrue(sink.entered.await(10, TimeUnit.SECONDS)); // the writer holds document 0
        long start = System.nanoTime();
        for (int i = 1; i <= 10; i++) {
            sink.offer(doc("{\"n\":" + i + "}"));
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "offer() blocked");
        assertEquals(new SinkStats(11, 0, 6, 0, 4), sink.stats());
        sink.gate.countDown();
        await(() -> sink.stats().written() == 5);
        sink.close();
        assertEquals(new SinkStats(11, 5, 6, 0, 0), sink.stats());
        assertEquals(List.of("{\"n\":0}\n", "{\"n\":1}\n", "{\"n\":2}\n", "{\"n\":3}\n", "{\"n\":4}\n"), sink.lines);
    }

    @Test
    void shouldCountWriteErrorsLogTheFirstOnlyAndLogTheRecovery() throws Exception {
        try (LogLines log = new LogLines()) {
            Recording sink = new Recording(64, TimeUnit.SECONDS.toNanos(5));
            sink.failing = true;
            for (int i = 0; i < 20; i++) {
                sink.offer(doc("{\"n\":" + i + "}"));
            }
            await(() -> sink.stats().errors() == 20);
            sink.failing = false;
            sink.offer(doc("{\"n\":20}"));
            await(() -> sink.stats().written() == 1);
            sink.close();
            assertEquals(new SinkStats(21, 1, 0, 20, 0), sink.stats());
            assertEquals(List.of("WARNING recording: write failed: No space left on device; failed documents are"
                    + " counted as errors, nothing is half-written; next message in 10 s at the earliest",
                    "INFO recording: writing again after 20 failed documents"), log.lines());
        }
    }

    @Test
    void shouldCountARuntimeExceptionInWriteAsAnErrorAndGoOn() throws Exception {
        QueuedSink sink = new QueuedSink("throwing", 8, TimeUnit.SECONDS.toNanos(5)) {
            private int n;

            @Override
            public boolean wants(DocumentKind kind) {
                return true;
            }

            @Override
            protected void write(Document d) {
                if (n++ == 0) {
                    throw new IllegalStateException("bug in a sink");
                }
            }
        };
        try (LogLines log = new LogLines()) {
            sink.offer(doc("{}"));
            sink.offer(doc("{}"));
            await(() -> sink.stats().written() == 1);
            sink.close();
            assertEquals(new SinkStats(2, 1, 0, 1, 0), sink.stats());
            assertTrue(log.lines().getFirst().startsWith("WARNING throwing: write failed: bug in a sink;"),
                    log.lines().toString());
        }
    }

    @Test
    void shouldCountWhatCloseCannotDrainAsDroppedAndSayIt() throws Exception {
        try (LogLines log = new LogLines()) {
            Recording sink = new Recording(8, TimeUnit.MILLISECONDS.toNanos(200));
            sink.gate = new CountDownLatch(1); // never opened: the output is stuck
            for (int i = 0; i < 5; i++) {
                sink.offer(doc("{\"n\":" + i + "}"));
            }
            assertTrue(sink.entered.await(10, TimeUnit.SECONDS));
            sink.close();
            SinkStats s = sink.stats();
            // document 0 was being written when close() interrupted it: a failed write, counted as an error
            assertEquals(new SinkStats(5, 0, 4, 1, 0), s);
            assertTrue(log.lines().contains("WARNING recording: stopped with 4 documents unwritten after waiting"
                    + " 200 ms; counted as dropped"), log.lines().toString());
            sink.offer(doc("{\"late\":true}"));
            assertEquals(new SinkStats(6, 0, 5, 1, 0), sink.stats());
            assertEquals(List.of("close"), sink.calls());
        }
    }

    @Test
    void shouldRefuseANonPositiveCapacity() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Recording(0, 1));
        assertEquals("sink recording: capacity=0, expected at least 1", e.getMessage());
    }
}
