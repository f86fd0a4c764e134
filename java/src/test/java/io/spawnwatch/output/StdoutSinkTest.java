package io.spawnwatch.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * StdoutSink in a child JVM whose descriptor 1 is what the test needs: a pipe the reader closes after one line
 * ({@code run --events | head -1}), or /dev/full. System.out would swallow both failures.
 */
class StdoutSinkTest {

    /** The child: offers documents until the sink has counted {@code errors} errors, then prints its stats. */
    public static void main(String[] args) throws Exception {
        int wantedErrors = Integer.parseInt(args[0]);
        StdoutSink sink = new StdoutSink(java.util.Set.of(DocumentKind.ALERT), 1024);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int n = 0;
        while (sink.stats().errors() < wantedErrors && System.nanoTime() < deadline) {
            sink.offer(QueuedSinkTest.doc("{\"n\":" + n++ + "}"));
            Thread.sleep(2);
        }
        while (sink.stats().queued() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        sink.close();
        System.err.println("stats " + sink.stats());
    }

    private static ProcessBuilder child(int errors) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), StdoutSinkTest.class.getName(), String.valueOf(errors));
    }

    private static SinkStats parse(String stderr) {
        String line = stderr.lines().filter(l -> l.startsWith("stats SinkStats[")).findFirst().orElseThrow(
                () -> new AssertionError("no stats line in: " + stderr));
        long[] v = java.util.Arrays.stream(line.replaceAll("[^0-9,]", "").split(",")).mapToLong(Long::parseLong)
                .toArray();
        return new SinkStats(v[0], v[1], v[2], v[3], (int) v[4]);
    }

    @Test
    void shouldCountAndLogTheLossWhenTheReaderClosesThePipe() throws Exception {
        Process p = child(3).start();
        String first;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            first = out.readLine(); // like head -1: one line, then the pipe closes
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child did not stop");
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("{\"n\":0}", first);
        assertEquals(0, p.exitValue(), stderr);
        SinkStats s = parse(stderr);
        assertTrue(s.written() >= 1 && s.errors() >= 3, s.toString());
        assertEquals(s.offered(), s.written() + s.dropped() + s.errors(), s.toString());
        List<String> warnings = stderr.lines().filter(l -> l.contains("stdout: write failed")).toList();
        assertEquals(1, warnings.size(), stderr);
        assertTrue(warnings.getFirst().contains("stdout: write failed: Broken pipe; failed documents are counted"),
                stderr);
    }

    @Test
    void shouldCountWriteErrorsOnAFullDeviceInsteadOfSwallowingThem() throws Exception {
        Process p = child(5).redirectOutput(new File("/dev/full")).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child did not stop");
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), stderr);
        SinkStats s = parse(stderr);
        assertEquals(0, s.written(), s.toString());
        assertEquals(s.offered(), s.errors() + s.dropped(), s.toString());
        assertTrue(s.errors() >= 5, s.toString());
        assertTrue(stderr.contains("stdout: write failed: No space left on device;"), stderr);
    }
}
