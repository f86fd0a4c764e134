package io.spawnwatch.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * --output on a real full filesystem: a 64 KiB tmpfs mounted for the test (root only, like the kernel tests,
 * hence the tag; it fails loudly when it cannot mount).
 */
@Tag("kernel")
class FileSinkFullFilesystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            fail("KERNEL TEST CANNOT RUN: " + String.join(" ", command) + " failed (needs root): " + out);
        }
    }

    /** A document of exactly 1000 bytes with its newline, numbered. */
    private static Document doc(int n) {
        String head = "{\"n\":" + n + ",\"pad\":\"";
        String json = head + "x".repeat(1000 - head.length() - 3) + "\"}";
        return QueuedSinkTest.doc(json);
    }

    private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s");
            Thread.sleep(5);
        }
    }

    @Test
    void shouldWriteWholeLinesOnlyCountAndLogTheFailureOnceAndRecoverWhenSpaceReturns() throws Exception {
        Path mount = Files.createTempDirectory("sw-full-");
        run("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", mount.toString());
        Path file = mount.resolve("alerts.ndjson");
        try (LogLines log = new LogLines();
                FileSink sink = new FileSink(file, Set.of(DocumentKind.ALERT), 64, null)) { // closed before umount
            sink.offer(doc(0)); // the file's first page: room for four documents
            await(() -> sink.stats().written() == 1);
            Path filler = mount.resolve("filler");
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] kb = new byte[1024];
                while (true) {
                    out.write(kb);
                    out.flush();
                }
            } catch (IOException full) {
                assertTrue(full.getMessage().contains("No space left on device"), full.getMessage());
            }
            for (int n = 1; n <= 8; n++) { // 1-3 fit in the page; 4 goes in part, then fails; 5-8 fail
                sink.offer(doc(n));
            }
            await(() -> sink.stats().written() + sink.stats().errors() == 9);
            assertEquals(new SinkStats(9, 4, 0, 5, 0), sink.stats());
            assertEquals(4000, Files.size(file), "the half-written document was cut back");

            Files.delete(filler); // space returns
            sink.offer(doc(9));
            sink.close();
            assertEquals(new SinkStats(10, 5, 0, 5, 0), sink.stats());

            List<Integer> numbers = new ArrayList<>();
            for (String line : Files.readString(file).split("\n")) {
                numbers.add(JSON.readTree(line).path("n").asInt()); // every line is a whole document
            }
            assertEquals(List.of(0, 1, 2, 3, 9), numbers);
            assertTrue(Files.readString(file).endsWith("\n"));

            List<String> lines = log.lines();
            assertEquals(2, lines.size(), lines.toString());
            assertEquals("WARNING file:" + file + ": write failed: No space left on device; failed documents are"
                    + " counted as errors, nothing is half-written; next message in 10 s at the earliest",
                    lines.get(0));
            assertEquals("INFO file:" + file + ": writing again after 5 failed documents", lines.get(1));
        } finally {
            run("umount", mount.toString());
            Files.delete(mount);
        }
    }
}
