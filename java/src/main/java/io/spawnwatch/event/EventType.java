package io.spawnwatch.event;

/** The kinds of event the kernel sends up. */
public enum EventType {
    /** A process started a program (sched_process_exec). */
    EXEC,
    /** A process started a TCP connection. */
    CONNECT
}
