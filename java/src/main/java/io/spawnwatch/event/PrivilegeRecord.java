package io.spawnwatch.event;

import static io.spawnwatch.event.PrivilegeRecordDescriptor.*;

import java.lang.foreign.MemorySegment;

/** Flyweight over a privilege record (struct sw_privilege_record). */
public final class PrivilegeRecord extends ProcessRecord {
    @Override
    public PrivilegeRecord wrap(MemorySegment segment, long offset) {
        super.wrap(segment, offset);
        return this;
    }

    /** PrivilegeRecordDescriptor.HOW_* value. */
    public int how() {
        return u32(HOW_OFFSET);
    }

    public long oldEuid() {
        return Integer.toUnsignedLong(u32(OLD_EUID_OFFSET));
    }

    /** Effective capability bits (bit n = capability n) before and after. */
    public long oldCapEffective() {
        return segment.get(U64, offset + OLD_CAP_EFFECTIVE_OFFSET);
    }

    public long newCapEffective() {
        return segment.get(U64, offset + NEW_CAP_EFFECTIVE_OFFSET);
    }

    /** The call's name: setuid, setreuid, setresuid, capset. */
    public static String howName(int how) {
        return switch (how) {
            case HOW_SETUID -> "setuid";
            case HOW_SETREUID -> "setreuid";
            case HOW_SETRESUID -> "setresuid";
            case HOW_CAPSET -> "capset";
            default -> "unknown";
        };
    }
}
