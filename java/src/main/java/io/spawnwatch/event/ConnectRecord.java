package io.spawnwatch.event;

import static io.spawnwatch.event.ConnectRecordDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Flyweight over a connect record (struct sw_connect_record). */
public final class ConnectRecord extends ProcessRecord {
    private static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong NET_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

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

    /** Word reads and stores in network order: cheaper than a bulk copy for 4 or 16 bytes. */
    private int address(int field, byte[] out) {
        long at = offset + field;
        if (family() == AF_INET) {
            INT_BE.set(out, 0, segment.get(NET_INT, at));
            return 4;
        }
        LONG_BE.set(out, 0, segment.get(NET_LONG, at));
        LONG_BE.set(out, 8, segment.get(NET_LONG, at + 8));
        return 16;
    }
}
