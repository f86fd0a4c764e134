package io.spawnwatch.enrich;

import io.spawnwatch.event.ConnectRecord;
import io.spawnwatch.event.EventType;
import io.spawnwatch.event.EventView;
import io.spawnwatch.event.ExecRecord;
import io.spawnwatch.event.Field;
import io.spawnwatch.event.ProcessRecord;
import io.spawnwatch.event.RecordDescriptor;
import io.spawnwatch.event.SegmentText;
import java.lang.foreign.MemorySegment;

/**
 * The {@link EventView} the rules and the ECS writer read: a record in the
 * ring, wrapped in place, plus what the process table, /etc/passwd and the
 * cgroup path add. One instance is reused for every event; each field has
 * its own text view so that several can be held at once within one event.
 */
public final class EnrichedEvent implements EventView {
    private static final int MAX_CHAIN = 16;

    private final ProcessTable processes;
    private final UserNames users;
    private final ContainerIds containers;
    private final BootClock clock;

    private final ExecRecord exec = new ExecRecord();
    private final ConnectRecord connect = new ConnectRecord();
    private ProcessRecord record = exec;
    private EventType type = EventType.EXEC;

    private final SegmentText[] texts = new SegmentText[Field.values().length];
    private final StringBuilder destination = new StringBuilder(48);
    private final StringBuilder source = new StringBuilder(48);
    private final StringBuilder chain = new StringBuilder(128);
    private final byte[] address = new byte[16];
    private final SegmentText chainName = new SegmentText();

    public EnrichedEvent(ProcessTable processes, UserNames users, ContainerIds containers, BootClock clock) {
        this.processes = processes;
        this.users = users;
        this.containers = containers;
        this.clock = clock;
        for (int i = 0; i < texts.length; i++) {
            texts[i] = new SegmentText();
        }
    }

    /**
     * Wraps the record at {@code offset} (its header first). Returns false for
     * a record this version does not know (type or version), which the caller
     * counts and skips.
     */
    public boolean wrap(MemorySegment segment, long offset) {
        exec.wrap(segment, offset);
        if (exec.version() != RecordDescriptor.VERSION) {
            return false;
        }
        switch (exec.type()) {
            case RecordDescriptor.TYPE_EXEC -> {
                record = exec;
                type = EventType.EXEC;
                processes.recordExec(exec);
            }
            case RecordDescriptor.TYPE_CONNECT -> {
                record = connect.wrap(segment, offset);
                type = EventType.CONNECT;
            }
            default -> {
                return false;
            }
        }
        return true;
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

    @Override
    public EventType type() {
        return type;
    }

    @Override
    public long timestampNanos() {
        return clock.toEpochNanos(record.bootNanos());
    }

    @Override
    public CharSequence text(Field field) {
        SegmentText out = texts[field.ordinal()];
        return switch (field) {
            case IMAGE -> type == EventType.EXEC ? exec.exe(out) : fromTable(record.pid(), field, out);
            case COMMAND_LINE -> type == EventType.EXEC ? exec.commandLine(out) : fromTable(record.pid(), field, out);
            case PROCESS_NAME -> record.comm(out);
            case CURRENT_DIRECTORY -> type == EventType.EXEC ? exec.cwd(out) : fromTable(record.pid(), field, out);
            case USER -> users.name(record.uid());
            case PARENT_IMAGE -> type == EventType.EXEC ? nonEmpty(exec.parentExe(out))
                    : fromTable(record.ppid(), Field.IMAGE, out);
            case PARENT_COMMAND_LINE -> fromTable(record.ppid(), Field.COMMAND_LINE, out);
            case PARENT_NAME -> record.parentComm(out);
            case PARENT_CURRENT_DIRECTORY -> type == EventType.EXEC ? nonEmpty(exec.parentCwd(out)) : null;
            case CONTAINER_ID -> containers.of(record.cgroupId(), record.pid());
            case LINEAGE_ROOT_NAME -> record.lineageRoot() == 0 ? null
                    : fromTable(record.lineageRoot(), Field.PROCESS_NAME, out);
            case LINEAGE_ROOT_IMAGE -> record.lineageRoot() == 0 ? null
                    : fromTable(record.lineageRoot(), Field.IMAGE, out);
            case LINEAGE_CHAIN -> record.lineageRoot() == 0 ? null : chain();
            case DESTINATION_IP -> type == EventType.CONNECT ? formatAddress(destination, true) : null;
            case SOURCE_IP -> type == EventType.CONNECT ? formatAddress(source, false) : null;
            case PROTOCOL -> type == EventType.CONNECT ? "tcp" : null;
            case INITIATED -> type == EventType.CONNECT ? "true" : null;
            case PROCESS_ID, USER_ID, GROUP_ID, EFFECTIVE_USER_ID, PARENT_PROCESS_ID, LINEAGE_ROOT_PID,
                    LINEAGE_DEPTH, DESTINATION_PORT, SOURCE_PORT -> numberText(field);
        };
    }

    @Override
    public long number(Field field) {
        return switch (field) {
            case PROCESS_ID -> record.pid();
            case USER_ID -> record.uid();
            case GROUP_ID -> record.gid();
            case EFFECTIVE_USER_ID -> record.euid();
            case PARENT_PROCESS_ID -> record.ppid();
            case LINEAGE_ROOT_PID -> record.lineageRoot() == 0 ? ABSENT : record.lineageRoot();
            case LINEAGE_DEPTH -> record.lineageDepth();
            case DESTINATION_PORT -> type == EventType.CONNECT ? connect.destinationPort() : ABSENT;
            case SOURCE_PORT -> type == EventType.CONNECT && connect.sourcePort() != 0 ? connect.sourcePort() : ABSENT;
            default -> ABSENT;
        };
    }

    @Override
    public int address(Field field, byte[] out) {
        if (type != EventType.CONNECT) {
            return 0;
        }
        return switch (field) {
            case DESTINATION_IP -> connect.destinationAddress(out);
            case SOURCE_IP -> connect.sourceAddress(out);
            default -> 0;
        };
    }

    /** The process table entry of the event's process, or null. */
    public ProcessTable.Entry processEntry(int pid) {
        return processes.get(pid);
    }

    private CharSequence numberText(Field field) {
        long n = number(field);
        if (n == ABSENT) {
            return null;
        }
        StringBuilder sb = field == Field.DESTINATION_PORT ? destination : source;
        sb.setLength(0);
        return sb.append(n);
    }

    private CharSequence fromTable(int pid, Field what, SegmentText out) {
        ProcessTable.Entry e = processes.get(pid);
        if (e == null) {
            return null;
        }
        SegmentText text = switch (what) {
            case IMAGE -> e.executable(out);
            case COMMAND_LINE -> e.commandLine(out);
            case CURRENT_DIRECTORY -> e.workingDirectory(out);
            default -> e.name(out);
        };
        return nonEmpty(text);
    }

    private static CharSequence nonEmpty(SegmentText text) {
        return text.length() == 0 ? null : text;
    }

    /** "nginx > sh > curl": the web server down to this process, from the process table. */
    private CharSequence chain() {
        int[] pids = new int[MAX_CHAIN];
        int n = 0;
        int root = record.lineageRoot();
        int pid = record.ppid();
        while (n < MAX_CHAIN - 1 && pid > 1) {
            pids[n++] = pid;
            if (pid == root) {
                break;
            }
            ProcessTable.Entry e = processes.get(pid);
            if (e == null) {
                break;
            }
            pid = e.ppid();
        }
        chain.setLength(0);
        for (int i = n - 1; i >= 0; i--) {
            ProcessTable.Entry e = processes.get(pids[i]);
            chain.append(e == null ? "?" : e.name(chainName)).append(" > ");
        }
        return chain.append(record.comm(chainName));
    }

    private CharSequence formatAddress(StringBuilder sb, boolean destinationSide) {
        int len = destinationSide ? connect.destinationAddress(address) : connect.sourceAddress(address);
        sb.setLength(0);
        if (len == 4) {
            for (int i = 0; i < 4; i++) {
                if (i > 0) {
                    sb.append('.');
                }
                sb.append(address[i] & 0xff);
            }
            return sb;
        }
        return Ipv6Text.append(sb, address);
    }
}
