package io.spawnwatch.recognition;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The processes that hold a listening TCP socket right now, from procfs:
 * /proc/net/tcp and tcp6 give the LISTEN sockets (st 0A) and their inodes,
 * /proc/PID/fd/* links name the inodes each process holds ("socket:[N]").
 * Used once at start-up: servers that were listening before the sensor.
 */
public final class ListeningSockets {
    /** TCP_LISTEN in include/net/tcp_states.h, as /proc/net/tcp prints it (hex). */
    private static final String TCP_LISTEN = "0A";

    /** One listening process and the first local port it listens on. */
    public record Listener(int pid, int port) {}

    private final Path proc;

    public ListeningSockets(Path proc) {
        this.proc = proc;
    }

    /** Every process holding a listening TCP socket (IPv4 or IPv6), by pid. */
    public List<Listener> find() {
        Map<Long, Integer> portByInode = new HashMap<>();
        readTable(proc.resolve("net/tcp"), portByInode);
        readTable(proc.resolve("net/tcp6"), portByInode);
        Map<Integer, Integer> ports = new TreeMap<>();
        if (portByInode.isEmpty()) {
            return List.of();
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path dir : dirs) {
                int pid = Integer.parseInt(dir.getFileName().toString());
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir.resolve("fd"))) {
                    for (Path fd : fds) {
                        Integer port = portByInode.get(socketInode(fd));
                        if (port != null) {
                            ports.putIfAbsent(pid, port);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // gone, or not ours to read: skip
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        List<Listener> out = new ArrayList<>();
        ports.forEach((pid, port) -> out.add(new Listener(pid, port)));
        return out;
    }

    /**
     * Parses one table: "sl local_address rem_address st ... uid timeout
     * inode", addresses as HEXIP:HEXPORT (proc_net_tcp(5) in man-pages).
     */
    static void readTable(Path table, Map<Long, Integer> portByInode) {
        List<String> lines;
        try {
            lines = Files.readAllLines(table);
        } catch (IOException e) {
            return; // no IPv6, say
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 10 || !f[3].equals(TCP_LISTEN)) {
                continue;
            }
            try {
                int colon = f[1].lastIndexOf(':');
                int port = Integer.parseInt(f[1].substring(colon + 1), 16);
                portByInode.put(Long.parseLong(f[9]), port);
            } catch (RuntimeException e) {
                // a malformed line: skip it
            }
        }
    }

    private static long socketInode(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[") && target.endsWith("]")) {
                return Long.parseLong(target.substring(8, target.length() - 1));
            }
        } catch (IOException | RuntimeException e) {
            // closed meanwhile
        }
        return -1;
    }
}
