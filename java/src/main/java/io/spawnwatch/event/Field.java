package io.spawnwatch.event;

/**
 * The fields a detection rule can read from an event, each with the ECS name
 * it is written under in our documents: the one table of field names. Sigma
 * names (the ones Sigma uses for linux process_creation and
 * network_connection) map onto these in the rules package; the ECS writer,
 * the control socket's exceptions and the baseline seeder use {@link #ecsName}.
 * The event side answers them without copying.
 */
public enum Field {
    // --- process (exec and connect events) ---
    /** Resolved path of the executable (Sigma Image). */
    IMAGE(Kind.TEXT, "process.executable"),
    /**
     * A #! script's path as execve() named it, made absolute against the
     * working directory (our ScriptPath); absent for other programs, whose
     * Image is the program itself. For a script, Image is its interpreter: a
     * condition on where the program lives checks both.
     */
    SCRIPT_PATH(Kind.TEXT, "spawnwatch.script.path"),
    /** argv joined with single spaces (Sigma CommandLine). */
    COMMAND_LINE(Kind.TEXT, "process.command_line"),
    /**
     * argv, one item per argument (no Sigma name; Elastic's rules test single
     * arguments: {@code process.args in ("-c", "-cl", "-lc")}). As text: the command line.
     */
    ARGS(Kind.LIST, "process.args"),
    /** The kernel's comm, at most 15 bytes. */
    PROCESS_NAME(Kind.TEXT, "process.name"),
    /** Working directory (Sigma CurrentDirectory). */
    CURRENT_DIRECTORY(Kind.TEXT, "process.working_directory"),
    PROCESS_ID(Kind.NUMBER, "process.pid"),
    /** Effective user's name (Sigma User; ECS user.name and process.user.name); the uid as text when unknown. */
    USER(Kind.TEXT, "user.name"),
    /** Effective uid (ECS defines user.id and process.user.id as the effective user). */
    USER_ID(Kind.NUMBER, "user.id"),
    /** Real uid (ECS process.real_user.id). */
    REAL_USER_ID(Kind.NUMBER, "process.real_user.id"),
    /** Real user's name. */
    REAL_USER(Kind.TEXT, "process.real_user.name"),
    /** Effective gid (ECS group.id and process.group.id; the real one is process.real_group.id). */
    GROUP_ID(Kind.NUMBER, "group.id"),
    /** Effective uid under its older name (Sigma EffectiveUserId); the same value as {@link #USER_ID}. */
    EFFECTIVE_USER_ID(Kind.NUMBER, "process.user.id"),
    PARENT_IMAGE(Kind.TEXT, "process.parent.executable"),
    /** Parent's command line, from the process table or /proc; absent when unknown. */
    PARENT_COMMAND_LINE(Kind.TEXT, "process.parent.command_line"),
    /** Parent's argv, one item per argument (from the process table or /proc). */
    PARENT_ARGS(Kind.LIST, "process.parent.args"),
    PARENT_NAME(Kind.TEXT, "process.parent.name"),
    PARENT_CURRENT_DIRECTORY(Kind.TEXT, "process.parent.working_directory"),
    PARENT_PROCESS_ID(Kind.NUMBER, "process.parent.pid"),
    /** Container id from the cgroup path; absent on the host. */
    CONTAINER_ID(Kind.TEXT, "container.id"),

    // --- lineage (our own fields) ---
    /** Name (comm) of the web server at the root of the lineage. */
    LINEAGE_ROOT_NAME(Kind.TEXT, "spawnwatch.lineage.root.name"),
    /** Executable of the web server at the root of the lineage. */
    LINEAGE_ROOT_IMAGE(Kind.TEXT, "spawnwatch.lineage.root.executable"),
    LINEAGE_ROOT_PID(Kind.NUMBER, "spawnwatch.lineage.root.pid"),
    /**
     * The lineage root's start (CLOCK_BOOTTIME ns): with its pid, the web-server instance, so that a
     * reused pid is another root. Written as spawnwatch.lineage.root.start (a date) and .entity_id.
     */
    LINEAGE_ROOT_START(Kind.NUMBER, null),
    /** 1 = child of the web server, 2 = grandchild, ...; 0 outside the lineage. */
    LINEAGE_DEPTH(Kind.NUMBER, "spawnwatch.lineage.depth"),
    /** Ancestry from the web server down, "nginx > sh > curl". */
    LINEAGE_CHAIN(Kind.TEXT, "spawnwatch.lineage.chain"),

    // --- network (connect events) ---
    /** Destination address as text (Sigma DestinationIp); also an ADDRESS for cidr. */
    DESTINATION_IP(Kind.ADDRESS, "destination.ip"),
    DESTINATION_PORT(Kind.NUMBER, "destination.port"),
    SOURCE_IP(Kind.ADDRESS, "source.ip"),
    SOURCE_PORT(Kind.NUMBER, "source.port"),
    /** "tcp". */
    PROTOCOL(Kind.TEXT, "network.transport"),
    /** "true" for outbound connections (Sigma Initiated), "false" for a listen (ECS: network.direction). */
    INITIATED(Kind.TEXT, null),
    /** The name in a DNS query (Sigma DestinationHostname, ECS dns.question.name). */
    DESTINATION_HOSTNAME(Kind.TEXT, "dns.question.name"),
    /** The DNS query type, "A", "TXT"... (ECS dns.question.type). */
    DNS_QUERY_TYPE(Kind.TEXT, "dns.question.type"),

    // --- files (file events) ---
    /** The path written, as the kernel resolved it (Sigma TargetFilename, ECS file.path). */
    TARGET_FILENAME(Kind.TEXT, "file.path"),
    /** creation, write, truncate, rename, link, chmod (written as ECS event.action, which other events use too). */
    FILE_ACTION(Kind.TEXT, null),
    /** Why the kernel watched the path: writable, persistence, web_root. */
    FILE_CLASS(Kind.TEXT, null),
    /** chmod: the mode asked for; else the file's mode (octal in text). */
    FILE_MODE(Kind.NUMBER, null),

    // --- privilege (privilege events) ---
    /** setuid, setreuid, setresuid, capset (written as ECS event.action). */
    PRIVILEGE_CALL(Kind.TEXT, null),
    /** The effective uid before the call. */
    PREVIOUS_EFFECTIVE_USER_ID(Kind.NUMBER, null);

    /** How a field's value can be read from an {@link EventView}. */
    public enum Kind {
        /** {@link EventView#text(Field)}. */
        TEXT,
        /** {@link EventView#number(Field)}, and {@link EventView#text(Field)} in decimal. */
        NUMBER,
        /** {@link EventView#address(Field, byte[])}, and {@link EventView#text(Field)}. */
        ADDRESS,
        /**
         * Several texts: {@link EventView#item(Field, int)} for each; a value
         * matches when any item does (as an ECS keyword array does in Elastic's
         * queries). {@link EventView#text(Field)} gives them space-joined.
         */
        LIST
    }

    private final Kind kind;
    private final String ecsName;

    Field(Kind kind, String ecsName) {
        this.kind = kind;
        this.ecsName = ecsName;
    }

    public Kind kind() {
        return kind;
    }

    /** The dotted ECS name the field is written under ({@code spawnwatch.*} for ours), or null when none. */
    public String ecsName() {
        return ecsName;
    }
}
