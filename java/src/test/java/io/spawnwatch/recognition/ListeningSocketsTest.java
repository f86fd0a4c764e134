package io.spawnwatch.recognition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /proc/net/tcp{,6} and /proc/PID/fd as procfs lays them out (proc_net_tcp(5)), in a fake /proc. */
class ListeningSocketsTest {
    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
            + "   uid  timeout inode\n";

    @Test
    void shouldFindTheProcessesHoldingListeningSockets(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/tcp"), HEADER
                + "   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  65534        0 4711 1\n"
                // an established connection (st 01) of the same process: not a listener
                + "   1: 0100007F:0BB8 0100007F:C350 01 00000000:00000000 00:00000000 00000000  65534        0 4712 1\n"
                + "   2: garbage\n");
        Files.writeString(proc.resolve("net/tcp6"), HEADER
                + "   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A "
                + "00000000:00000000 00:00000000 00000000     0        0 815 1\n");
        fd(proc, 100, "socket:[4711]");
        fd(proc, 100, "socket:[4712]");
        fd(proc, 200, "socket:[815]");
        fd(proc, 300, "/dev/null");
        assertEquals(List.of(new ListeningSockets.Listener(100, 3000), new ListeningSockets.Listener(200, 80)),
                new ListeningSockets(proc).find());
    }

    private static int next;

    private static void fd(Path proc, int pid, String target) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)).resolve("fd"));
        Files.createSymbolicLink(dir.resolve(Integer.toString(next++)), Path.of(target));
    }
}
