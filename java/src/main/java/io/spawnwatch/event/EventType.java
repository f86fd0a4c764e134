package io.spawnwatch.event;

/** The kinds of event the kernel sends up. */
public enum EventType {
    /** A process started a program (sched_process_exec). */
    EXEC,
    /**
     * A process started a TCP connection, sent its first UDP datagram to a
     * destination, or sent a DNS query (Sigma network_connection).
     */
    CONNECT,
    /** A lineage member wrote to a watched path (Sigma file_event). */
    FILE,
    /** A lineage member gained root or capabilities by a call (our privilege_change). */
    PRIVILEGE
}
