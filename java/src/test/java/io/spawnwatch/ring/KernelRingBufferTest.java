package io.spawnwatch.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.sys.BpfTestSyscalls;
import io.spawnwatch.sys.LibC;
import io.spawnwatch.sys.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The reader against a real BPF ring buffer filled by the kernel: a tiny
 * socket filter calling bpf_ringbuf_output(), run with BPF_PROG_TEST_RUN.
 * Needs root (CAP_BPF); skipped, with the reason, when map creation is refused.
 */
@Tag("kernel")
class KernelRingBufferTest {
    private static final int DATA_SIZE = 4096;
    /** 12-byte payload + 8-byte header, aligned: 24 bytes per record. */
    private static final int RECORD = 24;

    private int mapFd = -1;
    private int progFd = -1;

    @BeforeEach
    void createMapAndProgram() throws NativeException {
        try {
            mapFd = BpfTestSyscalls.createRingBuffer(DATA_SIZE);
        } catch (NativeException e) {
            Assumptions.abort("KERNEL TEST SKIPPED: cannot create a BPF ring buffer (run as root with CAP_BPF): "
                    + e.getMessage());
        }
        progFd = BpfTestSyscalls.loadRingbufOutputProgram(mapFd);
    }

    @AfterEach
    void closeFds() throws NativeException {
        if (progFd >= 0) {
            LibC.close(progFd, "test: close prog fd=" + progFd);
        }
        if (mapFd >= 0) {
            LibC.close(mapFd, "test: close map fd=" + mapFd);
        }
    }

    @Test
    void shouldReadKernelRecordsIncludingOnesThatWrapPastTheEnd() throws NativeException {
        List<byte[]> payloads = new CopyOnWriteArrayList<>();
        RecordHandler copying = (data, offset, length) ->
                payloads.add(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        try (RingBuffer ring = RingBuffer.map(mapFd, DATA_SIZE)) {
            BpfTestSyscalls.run(progFd, 100);
            assertEquals(100, ring.poll(copying, 1000));
            assertEquals(100 * RECORD, ring.consumerPosition());

            // Record 170 (position 4080, 24 bytes) straddles the end of the 4096-byte data area.
            BpfTestSyscalls.run(progFd, 100);
            assertEquals(100, ring.poll(copying, 1000));

            assertEquals(200 * RECORD, ring.consumerPosition());
            assertEquals(ring.producerPosition(), ring.consumerPosition());
            assertEquals(200, payloads.size());
            payloads.forEach(p -> assertArrayEquals(BpfTestSyscalls.PAYLOAD, p));
        }
    }

    @Test
    void shouldWakeThePollerThroughEpollOnTheMapFd() throws Exception {
        CountDownLatch five = new CountDownLatch(5);
        try (RingBuffer ring = RingBuffer.map(mapFd, DATA_SIZE)) {
            RingPoller poller = RingPoller.start(ring, mapFd, (data, offset, length) -> five.countDown(),
                    e -> { }, RingPoller.DEFAULT_BATCH_LIMIT, 60_000);
            try {
                Thread.sleep(50); // let the thread reach epoll_wait, so that only a wake-up can deliver
                BpfTestSyscalls.run(progFd, 5);

                assertTrue(five.await(5, TimeUnit.SECONDS), "stats=" + poller.stats());
            } finally {
                poller.close();
            }
            assertEquals(5, poller.stats().deliveredRecords());
        }
    }

    @Test
    void shouldBeRefusedAWritableMappingOfTheProducerPages() {
        long page = LibC.pageSize();

        NativeException e = assertThrows(NativeException.class, () -> LibC.mmap(Arena.ofAuto(),
                page + 2L * DATA_SIZE, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, mapFd, page,
                "ring: mmap producer pages of map fd=" + mapFd));

        assertEquals("ring: mmap producer pages of map fd=" + mapFd + ": EPERM (Operation not permitted)",
                e.getMessage());
    }
}
