package io.spawnwatch.event;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The decode stage: checks a ring record's header against the contract (version, a known type, and the size
 * that type has, both in the header and in the ring) and wraps the matching flyweight over it in place. It has
 * no side effects beyond its own counters: a record it refuses is counted by reason and skipped, and nothing
 * else is told. One instance per reader thread; it allocates nothing.
 */
public final class RecordDecoder {
    private final ExecRecord exec = new ExecRecord();
    private final ConnectRecord connect = new ConnectRecord();
    private final FileRecord file = new FileRecord();
    private final DnsRecord dns = new DnsRecord();
    private final PrivilegeRecord privilege = new PrivilegeRecord();
    private ProcessRecord record = exec;
    /** The last CONNECT came from a DNS query record (read {@link #dns()}). */
    private boolean dnsQuery;

    // Written by the reader thread only; read by others for stats (plain longs published with a release store).
    private final java.util.concurrent.atomic.AtomicLongArray counts = new java.util.concurrent.atomic.AtomicLongArray(5);
    private static final int DECODED = 0;
    private static final int BAD_SIZE = 1;
    private static final int BAD_VERSION = 2;
    private static final int UNKNOWN_TYPE = 3;
    private static final int READ_FAILED = 4;

    /**
     * Decodes the record of {@code length} bytes at {@code offset}.
     *
     * @return the record's type, with {@link #record()} (and {@link #exec()} or {@link #connect()}) wrapped over
     *     it; null for a refused record, counted in {@link #stats()}
     */
    public EventType decode(MemorySegment data, long offset, int length) {
        if (length < RecordDescriptor.HEADER_LENGTH) {
            bump(BAD_SIZE);
            return null;
        }
        int version = Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT_UNALIGNED,
                offset + RecordDescriptor.VERSION_OFFSET));
        if (version != RecordDescriptor.VERSION) {
            bump(BAD_VERSION);
            return null;
        }
        int type = Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT_UNALIGNED,
                offset + RecordDescriptor.TYPE_OFFSET));
        int expected;
        EventType eventType;
        switch (type) {
            case RecordDescriptor.TYPE_EXEC -> {
                expected = ExecRecordDescriptor.LENGTH;
                eventType = EventType.EXEC;
            }
            case RecordDescriptor.TYPE_CONNECT -> {
                expected = ConnectRecordDescriptor.LENGTH;
                eventType = EventType.CONNECT;
            }
            case RecordDescriptor.TYPE_FILE -> {
                expected = FileRecordDescriptor.LENGTH;
                eventType = EventType.FILE;
            }
            case RecordDescriptor.TYPE_DNS -> { // a network_connection event with a host name
                expected = DnsRecordDescriptor.LENGTH;
                eventType = EventType.CONNECT;
            }
            case RecordDescriptor.TYPE_PRIVILEGE -> {
                expected = PrivilegeRecordDescriptor.LENGTH;
                eventType = EventType.PRIVILEGE;
            }
            default -> {
                bump(UNKNOWN_TYPE);
                return null;
            }
        }
        int size = data.get(ValueLayout.JAVA_INT_UNALIGNED, offset + RecordDescriptor.SIZE_OFFSET);
        if (size != expected || length < expected) {
            bump(BAD_SIZE);
            return null;
        }
        dnsQuery = type == RecordDescriptor.TYPE_DNS;
        record = switch (type) {
            case RecordDescriptor.TYPE_EXEC -> exec.wrap(data, offset);
            case RecordDescriptor.TYPE_FILE -> file.wrap(data, offset);
            case RecordDescriptor.TYPE_DNS -> dns.wrap(data, offset);
            case RecordDescriptor.TYPE_PRIVILEGE -> privilege.wrap(data, offset);
            default -> connect.wrap(data, offset);
        };
        bump(DECODED);
        if (eventType == EventType.EXEC && readFailed(exec)) {
            bump(READ_FAILED);
        }
        return eventType;
    }

    /**
     * Whether a kernel read failed in this exec record. The contract has no read-failure flags yet (issue 10 adds
     * them to handle_exec; test them here when they land); until then the two failures a record shows are: an
     * argument count with no argument bytes (the argv read failed) and an empty executable path (every exec has
     * one; the dentry walk failed).
     */
    static boolean readFailed(ExecRecord r) {
        return (r.argc() > 0 && r.argsLength() == 0) || r.exeLength() == 0;
    }

    public ProcessRecord record() {
        return record;
    }

    public ExecRecord exec() {
        return exec;
    }

    public ConnectRecord connect() {
        return connect;
    }

    public FileRecord file() {
        return file;
    }

    public DnsRecord dns() {
        return dns;
    }

    public PrivilegeRecord privilege() {
        return privilege;
    }

    /** Whether the last CONNECT event decoded is a DNS query ({@link #dns()}), not a connect ({@link #connect()}). */
    public boolean dnsQuery() {
        return dnsQuery;
    }

    public DecodeStats stats() {
        return new DecodeStats(counts.get(DECODED), counts.get(BAD_SIZE), counts.get(BAD_VERSION),
                counts.get(UNKNOWN_TYPE), counts.get(READ_FAILED));
    }

    /** Single writer (the reader thread): a release store, not a locked add. */
    private void bump(int i) {
        counts.setRelease(i, counts.getPlain(i) + 1);
    }
}
