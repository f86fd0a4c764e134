package io.spawnwatch.enrich;

import io.spawnwatch.event.ConnectRecord;
import io.spawnwatch.event.DnsQuestion;
import io.spawnwatch.event.DnsRecord;
import io.spawnwatch.event.EventType;
import io.spawnwatch.event.EventView;
import io.spawnwatch.event.ExecRecord;
import io.spawnwatch.event.Field;
import io.spawnwatch.event.FileRecord;
import io.spawnwatch.event.PrivilegeRecord;
import io.spawnwatch.event.ListenRecord;
import io.spawnwatch.event.ProcessRecord;
import io.spawnwatch.event.RecordDecoder;
import io.spawnwatch.event.SegmentText;
import java.lang.foreign.MemorySegment;

/**
 * The {@link EventView} the rules and the ECS writer read: a record in the
 * ring, decoded in place by a {@link RecordDecoder}, plus what the process
 * table, /etc/passwd and the cgroup path add. Wrapping has no side effects:
 * the pipeline records an exec in the process table once it keeps the event.
 *
 * <p>With {@link SlowReads} (the sensor), what the table and the container
 * cache do not know is requested from /proc off the reader thread and the
 * field stays empty for this event, which {@link #enrichmentPending()} then
 * says; without it (tests, tools), such reads happen inline. One instance is reused for every event; each field has
 * its own text view so that several can be held at once within one event.
 *
 * <p>A text field is worked out once per event, on first use, and the same
 * view is returned to every later caller until the next {@link #wrap}: the
 * rules read the same few fields (ParentName, Image, CommandLine) once per
 * rule and selection, and each look-up would otherwise scan a comm for its
 * NUL again or go to the process table again.
 */
public final class EnrichedEvent implements EventView {
    private static final int MAX_CHAIN = 16;
    private static final int IPPROTO_UDP = 17;

    static {
        if (Field.values().length > Long.SIZE) {
            throw new AssertionError("EnrichedEvent: one bit per field in a long: fields=" + Field.values().length);
        }
    }

    private final ProcessTable processes;
    private final UserNames users;
    private final ContainerIds containers;
    private final BootClock clock;

    private final SlowReads slow;
    private final SlowReads.Answer[] answer = new SlowReads.Answer[1];
    private final RecordDecoder decoder = new RecordDecoder();
    private final ExecRecord exec = decoder.exec();
    private final ConnectRecord connect = decoder.connect();
    private final FileRecord file = decoder.file();
    private final DnsRecord dns = decoder.dns();
    private final PrivilegeRecord privilege = decoder.privilege();
    private final DnsQuestion question = new DnsQuestion();
    /** A CONNECT event from a DNS query record (else from a connect record). */
    private boolean dnsQuery;
    /** Whether the DNS query's payload parsed as a question. */
    private boolean questionParsed;
    private final ListenRecord listen = decoder.listen();
    private final StringBuilder scriptPath = new StringBuilder(64);
    private ProcessRecord record = exec;
    private EventType type = EventType.EXEC;
    private boolean pending;

    private final SegmentText[] texts = new SegmentText[Field.values().length];
    /** Per field, for the texts formatted here (ports, addresses, the chain): one builder each. */
    private final StringBuilder[] formatted = new StringBuilder[Field.values().length];
    /** Text of each field for the current event, valid where its bit is set in {@link #resolved}. */
    private final CharSequence[] values = new CharSequence[Field.values().length];
    private long resolved;
    private final int[] chainPids = new int[MAX_CHAIN];
    private final long[] chainStarts = new long[MAX_CHAIN];
    private final byte[] address = new byte[16];
    private final SegmentText chainName = new SegmentText();
    /** The exec record's argument last given by {@link #item} for ARGS, and where it starts: walked once in order. */
    private int argIndex = -1;
    private int argStart;
    private final SegmentText argText = new SegmentText();
    private final SegmentText parentArgText = new SegmentText();

    /** Reads /proc inline when the table or the container cache misses: for tests and tools, not the reader. */
    public EnrichedEvent(ProcessTable processes, UserNames users, ContainerIds containers, BootClock clock) {
        this(processes, users, containers, clock, null);
    }

    /** @param slow where misses go without waiting (the sensor); null to read /proc inline */
    public EnrichedEvent(ProcessTable processes, UserNames users, ContainerIds containers, BootClock clock,
            SlowReads slow) {
        this.slow = slow;
        this.processes = processes;
        this.users = users;
        this.containers = containers;
        this.clock = clock;
        for (int i = 0; i < texts.length; i++) {
            texts[i] = new SegmentText();
            formatted[i] = new StringBuilder(48);
        }
    }

    /**
     * Decodes the record of {@code length} bytes at {@code offset} (its header first) and makes it the current
     * event. Returns false for a record the decoder refuses (counted there).
     */
    public boolean wrap(MemorySegment segment, long offset, int length) {
        resolved = 0;
        argIndex = -1;
        pending = false;
        EventType t = decoder.decode(segment, offset, length);
        if (t == null) {
            return false;
        }
        type = t;
        record = decoder.record();
        dnsQuery = decoder.dnsQuery();
        questionParsed = dnsQuery && dns.question(question);
        return true;
    }

    /** Epoch nanoseconds of a CLOCK_BOOTTIME reading (a start time from a record). */
    public long toEpochNanos(long bootNanos) {
        return clock.toEpochNanos(bootNanos);
    }

    /** {@link #wrap(MemorySegment, long, int)} of a record that runs to the end of {@code segment} at most. */
    public boolean wrap(MemorySegment segment, long offset) {
        return wrap(segment, offset, (int) Math.min(Integer.MAX_VALUE, segment.byteSize() - offset));
    }

    /** The decode stage's counters. */
    public RecordDecoder decoder() {
        return decoder;
    }

    /**
     * Whether a field read so far was left empty because its /proc read is still on its way (the ECS document
     * says {@code spawnwatch.enrichment: "pending"}). Fields are read lazily: ask after rendering.
     */
    public boolean enrichmentPending() {
        return pending;
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

    /** Whether this CONNECT event is a DNS query (read {@link #dns()}, not {@link #connect()}). */
    public boolean isDnsQuery() {
        return type == EventType.CONNECT && dnsQuery;
    }

    /** The DNS query's question, or null when the payload did not parse as one. */
    public DnsQuestion dnsQuestion() {
        return isDnsQuery() && questionParsed ? question : null;
    }

    /** "udp" or "tcp" for a CONNECT event, "tcp" for a LISTEN, else null. */
    public String transport() {
        if (type == EventType.LISTEN) {
            return "tcp";
        }
        if (type != EventType.CONNECT) {
            return null;
        }
        return dnsQuery || connect.protocol() == IPPROTO_UDP ? "udp" : "tcp";
    }

    public ListenRecord listen() {
        return listen;
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
        int i = field.ordinal();
        long bit = 1L << i;
        if ((resolved & bit) != 0) {
            return values[i];
        }
        CharSequence value = resolve(field);
        values[i] = value;
        resolved |= bit;
        return value;
    }

    private CharSequence resolve(Field field) {
        SegmentText out = texts[field.ordinal()];
        boolean isExec = type == EventType.EXEC;
        boolean network = type == EventType.CONNECT || type == EventType.LISTEN;
        return switch (field) {
            case IMAGE -> isExec ? exec.exe(out) : fromTable(record.pid(), record.startBootNanos(), field, out);
            case SCRIPT_PATH -> isExec ? scriptPath() : null;
            case COMMAND_LINE, ARGS -> isExec ? exec.commandLine(out)
                    : fromTable(record.pid(), record.startBootNanos(), Field.COMMAND_LINE, out);
            case PROCESS_NAME -> record.comm(out);
            case CURRENT_DIRECTORY -> isExec ? exec.cwd(out)
                    : fromTable(record.pid(), record.startBootNanos(), field, out);
            case USER -> users.name(record.euid());
            case REAL_USER -> users.name(record.uid());
            case PARENT_IMAGE -> isExec && !exec.parentKnown() ? nonEmpty(exec.parentExe(out))
                    : fromTable(record.ppid(), record.parentStartBootNanos(), Field.IMAGE, out);
            case PARENT_COMMAND_LINE, PARENT_ARGS -> fromTable(record.ppid(), record.parentStartBootNanos(),
                    Field.COMMAND_LINE, out);
            case PARENT_NAME -> record.parentComm(out);
            case PARENT_CURRENT_DIRECTORY -> !isExec ? null : !exec.parentKnown() ? nonEmpty(exec.parentCwd(out))
                    : fromTable(record.ppid(), record.parentStartBootNanos(), Field.CURRENT_DIRECTORY, out);
            case CONTAINER_ID -> container();
            case LINEAGE_ROOT_NAME -> record.lineageRoot() == 0 ? null
                    : fromTable(record.lineageRoot(), record.rootStartBootNanos(), Field.PROCESS_NAME, out);
            case LINEAGE_ROOT_IMAGE -> record.lineageRoot() == 0 ? null
                    : fromTable(record.lineageRoot(), record.rootStartBootNanos(), Field.IMAGE, out);
            case LINEAGE_CHAIN -> record.lineageRoot() == 0 ? null : chain();
            case DESTINATION_IP -> network ? formatAddress(formatted[field.ordinal()], true) : null;
            case SOURCE_IP -> address(Field.SOURCE_IP, address) != 0
                    ? formatAddress(formatted[field.ordinal()], false) : null;
            case PROTOCOL -> transport();
            case INITIATED -> type == EventType.CONNECT ? "true" : type == EventType.LISTEN ? "false" : null;
            case DESTINATION_HOSTNAME -> dnsQuestion() != null ? question.name() : null;
            case DNS_QUERY_TYPE -> dnsQuestion() != null ? DnsQuestion.typeName(question.type()) : null;
            case TARGET_FILENAME -> type == EventType.FILE ? file.path(out) : null;
            case FILE_ACTION -> type == EventType.FILE ? FileRecord.actionName(file.action()) : null;
            case FILE_CLASS -> type == EventType.FILE ? FileRecord.className(file.pathClass()) : null;
            case PRIVILEGE_CALL -> type == EventType.PRIVILEGE ? PrivilegeRecord.howName(privilege.how()) : null;
            case PROCESS_ID, USER_ID, REAL_USER_ID, GROUP_ID, EFFECTIVE_USER_ID, PARENT_PROCESS_ID, LINEAGE_ROOT_PID,
                    LINEAGE_ROOT_START, LINEAGE_DEPTH, DESTINATION_PORT, SOURCE_PORT, PREVIOUS_EFFECTIVE_USER_ID,
                    FILE_MODE -> numberText(field);
        };
    }

    /** The script path, made absolute against the working directory when execve() got a relative one. */
    private CharSequence scriptPath() {
        if (!exec.isScript()) {
            return null;
        }
        SegmentText script = exec.script(texts[Field.SCRIPT_PATH.ordinal()]);
        if (script.length() == 0 || script.charAt(0) == '/') {
            return nonEmpty(script);
        }
        StringBuilder sb = scriptPath;
        sb.setLength(0);
        sb.append(exec.cwd(chainName));
        if (sb.length() == 0 || sb.charAt(sb.length() - 1) != '/') {
            sb.append('/');
        }
        int from = script.length() > 1 && script.charAt(0) == '.' && script.charAt(1) == '/' ? 2 : 0;
        return sb.append(script, from, script.length());
    }

    @Override
    public CharSequence item(Field field, int index) {
        return switch (field) {
            case ARGS -> type == EventType.EXEC ? execArg(index) : tableArg(record.pid(), index, argText);
            case PARENT_ARGS -> tableArg(record.ppid(), index, parentArgText);
            default -> null;
        };
    }

    /** Argument {@code index} of the exec record: in order it walks the args bytes once. */
    private CharSequence execArg(int index) {
        if (index < argIndex || argIndex < 0) {
            argIndex = -1;
        }
        while (argIndex < index) {
            int next = exec.nextArgStart(argStart, argIndex < 0);
            if (next < 0) {
                return null;
            }
            argStart = next;
            argIndex++;
        }
        int end = exec.argEnd(argStart);
        return argText.wrap(exec.segment(), exec.argsOffset() + argStart, end - argStart, false);
    }

    private CharSequence tableArg(int pid, int index, SegmentText out) {
        ProcessTable.Entry e = processes.get(pid);
        return e == null ? null : e.arg(index, out);
    }

    @Override
    public long number(Field field) {
        return switch (field) {
            case PROCESS_ID -> record.pid();
            case USER_ID, EFFECTIVE_USER_ID -> record.euid();
            case REAL_USER_ID -> record.uid();
            case GROUP_ID -> record.egid();
            case PARENT_PROCESS_ID -> record.ppid();
            case LINEAGE_ROOT_PID -> record.lineageRoot() == 0 ? ABSENT : record.lineageRoot();
            case LINEAGE_ROOT_START -> record.lineageRoot() == 0 || record.rootStartBootNanos() == 0 ? ABSENT
                    : record.rootStartBootNanos();
            case LINEAGE_DEPTH -> record.lineageDepth();
            case DESTINATION_PORT -> type == EventType.LISTEN ? listen.port() : type != EventType.CONNECT ? ABSENT
                    : dnsQuery ? dns.destinationPort() : connect.destinationPort();
            case SOURCE_PORT -> type == EventType.CONNECT && !dnsQuery && connect.sourcePort() != 0
                    ? connect.sourcePort() : ABSENT;
            case FILE_MODE -> type == EventType.FILE ? file.mode() & 07777 : ABSENT;
            case PREVIOUS_EFFECTIVE_USER_ID -> type == EventType.PRIVILEGE ? privilege.oldEuid() : ABSENT;
            default -> ABSENT;
        };
    }

    @Override
    public int address(Field field, byte[] out) {
        if (type == EventType.LISTEN) {
            return field == Field.DESTINATION_IP ? listen.address(out) : 0;
        }
        if (type != EventType.CONNECT) {
            return 0;
        }
        if (dnsQuery) {
            return field == Field.DESTINATION_IP ? dns.destinationAddress(out) : 0;
        }
        return switch (field) {
            case DESTINATION_IP -> connect.destinationAddress(out);
            // Unspecified (all zero) when the hook fires before the kernel picks it (cgroup/connect*).
            case SOURCE_IP -> unspecified(out, connect.sourceAddress(out)) ? 0 : connect.sourceAddress(out);
            default -> 0;
        };
    }

    private static boolean unspecified(byte[] address, int len) {
        for (int i = 0; i < len; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private CharSequence numberText(Field field) {
        long n = number(field);
        if (n == ABSENT) {
            return null;
        }
        StringBuilder sb = formatted[field.ordinal()];
        sb.setLength(0);
        return sb.append(n);
    }

    private CharSequence container() {
        if (slow == null) {
            return containers.of(record.cgroupId(), record.pid());
        }
        String id = slow.container(record.cgroupId(), record.pid(), answer);
        pending |= answer[0] == SlowReads.Answer.PENDING;
        return id;
    }

    /**
     * The process (pid, start) from the table; a miss is read inline, or asked of the slow path (and marks
     * the event pending). A pid that now names another process gives null: a reused pid lends nothing.
     */
    private ProcessTable.Entry process(int pid, long startBootNanos) {
        if (slow == null) {
            return processes.get(pid, startBootNanos);
        }
        ProcessTable.Entry known = processes.peek(pid);
        if (known != null && !ProcessTable.sameProcess(known.startBootNanos(), startBootNanos)) {
            return processes.get(pid, startBootNanos); // stale slot: counted, and /proc checked by start time
        }
        ProcessTable.Entry e = slow.process(pid, answer);
        pending |= answer[0] == SlowReads.Answer.PENDING;
        return e == null || ProcessTable.sameProcess(e.startBootNanos(), startBootNanos) ? e : null;
    }

    private CharSequence fromTable(int pid, long startBootNanos, Field what, SegmentText out) {
        ProcessTable.Entry e = process(pid, startBootNanos);
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

    /**
     * "nginx > sh > curl": the web server down to this process, from the process table. Where an ancestor is
     * not known (yet: its /proc read is pending), the direct parent's name comes from the record, the root's
     * from the table, and the levels between that no one knows are "?" each (the kernel gives the depth).
     */
    private CharSequence chain() {
        int[] pids = chainPids;
        long[] starts = chainStarts;
        int n = 0;
        int root = record.lineageRoot();
        int pid = record.ppid();
        long start = record.parentStartBootNanos();
        // The parent it was forked from, even after it was reparented (to init or a subreaper).
        ProcessTable.Entry self = processes.peek(record.pid());
        if (self != null && ProcessTable.sameProcess(self.startBootNanos(), record.startBootNanos())
                && self.ppid() != 0) {
            pid = self.ppid();
            start = self.parentStartBootNanos();
        }
        boolean reachedRoot = record.pid() == root; // a root's chain is its own name
        if (reachedRoot) {
            pid = 0;
        }
        while (n < MAX_CHAIN - 1 && pid > 1) {
            pids[n] = pid;
            starts[n++] = start;
            if (pid == root) {
                reachedRoot = true;
                break;
            }
            ProcessTable.Entry e = process(pid, start);
            if (e == null) {
                break;
            }
            pid = e.ppid();
            start = e.parentStartBootNanos();
        }
        StringBuilder chain = formatted[Field.LINEAGE_CHAIN.ordinal()];
        chain.setLength(0);
        int depth = record.lineageDepth();
        if (!reachedRoot && depth > n && n < MAX_CHAIN - 1) {
            ProcessTable.Entry r = processes.peek(root);
            chain.append(r == null ? "?" : r.name(chainName)).append(" > ");
            for (int missing = depth - n - 1; missing > 0; missing--) {
                chain.append("? > ");
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            ProcessTable.Entry e = processes.peek(pids[i]); // read just above
            if (e != null && ProcessTable.sameProcess(e.startBootNanos(), starts[i])) {
                chain.append(e.name(chainName));
            } else if (pids[i] == record.ppid()) {
                chain.append(record.parentComm(chainName));
            } else {
                chain.append('?');
            }
            chain.append(" > ");
        }
        return chain.append(record.comm(chainName));
    }

    private CharSequence formatAddress(StringBuilder sb, boolean destinationSide) {
        int len = destinationSide ? address(Field.DESTINATION_IP, address) : address(Field.SOURCE_IP, address);
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
