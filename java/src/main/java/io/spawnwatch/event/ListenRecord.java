package io.spawnwatch.event;

import static io.spawnwatch.event.ListenRecordDescriptor.ADDR_OFFSET;
import static io.spawnwatch.event.ListenRecordDescriptor.BACKLOG_OFFSET;
import static io.spawnwatch.event.ListenRecordDescriptor.FAMILY_OFFSET;
import static io.spawnwatch.event.ListenRecordDescriptor.HOOK_OFFSET;
import static io.spawnwatch.event.ListenRecordDescriptor.PORT_OFFSET;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Flyweight over a listen record (struct sw_listen_record). */
public final class ListenRecord extends ProcessRecord {

    @Override
    public ListenRecord wrap(MemorySegment segment, long offset) {
        super.wrap(segment, offset);
        return this;
    }

    /** AF_INET (2) or AF_INET6 (10). */
    public int family() {
        return u16(FAMILY_OFFSET);
    }

    /** The local port, host byte order. */
    public int port() {
        return u16(PORT_OFFSET);
    }

    /** Copies the bound address (4 or 16 bytes, network order) into out; returns its length. */
    public int address(byte[] out) {
        int len = family() == ConnectRecordDescriptor.AF_INET ? 4 : 16;
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset + ADDR_OFFSET, out, 0, len);
        return len;
    }

    /** sw_hook: which hook saw the listen. */
    public int hook() {
        return u32(HOOK_OFFSET);
    }

    /** The accept backlog the socket was given (sk_max_ack_backlog). */
    public int backlog() {
        return u32(BACKLOG_OFFSET);
    }
}
