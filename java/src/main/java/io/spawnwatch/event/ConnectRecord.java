package io.spawnwatch.event;

import static io.spawnwatch.event.ConnectRecordDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Flyweight over a connect record (struct sw_connect_record). */
public final class ConnectRecord extends ProcessRecord {

    @Override
    public ConnectRecord wrap(MemorySegment segment, long offset) {
        super.wrap(segment, offset);
        return this;
    }

    /** AF_INET (2) or AF_INET6 (10). */
    public int family() {
        return u16(FAMILY_OFFSET);
    }

    public int protocol() {
        return u16(PROTOCOL_OFFSET);
    }

    /** Host order; 0 when the hook fired before the kernel picked the port. */
    public int sourcePort() {
        return u16(SPORT_OFFSET);
    }

    public int destinationPort() {
        return u16(DPORT_OFFSET);
    }

    /** ConnectRecordDescriptor.HOOK_* value. */
    public int hook() {
        return u32(HOOK_OFFSET);
    }

    /** Copies the source address into out; returns its length (4 or 16). */
    public int sourceAddress(byte[] out) {
        return address(SADDR_OFFSET, out);
    }

    public int destinationAddress(byte[] out) {
        return address(DADDR_OFFSET, out);
    }

    private int address(int field, byte[] out) {
        int len = family() == AF_INET ? 4 : 16;
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset + field, out, 0, len);
        return len;
    }
}
