package io.spawnwatch.event;

/**
 * The fields a detection rule can read from an event. Sigma field names (the
 * ones Sigma uses for linux process_creation and network_connection) map onto
 * these in the rules package; the event side answers them without copying.
 */
public enum Field {
    // --- process (exec and connect events) ---
    /** Resolved path of the executable (Sigma Image, ECS process.executable). */
    IMAGE(Kind.TEXT),
    /**
     * A #! script's path as execve() named it, made absolute against the
     * working directory (our ScriptPath, ECS spawnwatch.script.path); absent
     * for other programs, whose Image is the program itself. For a script,
     * Image is its interpreter: a condition on where the program lives
     * checks both.
     */
    SCRIPT_PATH(Kind.TEXT),
    /** argv joined with single spaces (Sigma CommandLine, ECS process.command_line). */
    COMMAND_LINE(Kind.TEXT),
    /** The kernel's comm, at most 15 bytes (ECS process.name). */
    PROCESS_NAME(Kind.TEXT),
    /** Working directory (Sigma CurrentDirectory, ECS process.working_directory). */
    CURRENT_DIRECTORY(Kind.TEXT),
    PROCESS_ID(Kind.NUMBER),
    /** User name (Sigma User, ECS user.name); the uid as text when no name is known. */
    USER(Kind.TEXT),
    USER_ID(Kind.NUMBER),
    GROUP_ID(Kind.NUMBER),
    EFFECTIVE_USER_ID(Kind.NUMBER),
    PARENT_IMAGE(Kind.TEXT),
    /** Parent's command line, from the process table or /proc; absent when unknown. */
    PARENT_COMMAND_LINE(Kind.TEXT),
    PARENT_NAME(Kind.TEXT),
    PARENT_CURRENT_DIRECTORY(Kind.TEXT),
    PARENT_PROCESS_ID(Kind.NUMBER),
    /** Container id from the cgroup path; absent on the host. */
    CONTAINER_ID(Kind.TEXT),

    // --- lineage (our own fields) ---
    /** Name (comm) of the web server at the root of the lineage. */
    LINEAGE_ROOT_NAME(Kind.TEXT),
    /** Executable of the web server at the root of the lineage. */
    LINEAGE_ROOT_IMAGE(Kind.TEXT),
    LINEAGE_ROOT_PID(Kind.NUMBER),
    /** 1 = child of the web server, 2 = grandchild, ...; 0 outside the lineage. */
    LINEAGE_DEPTH(Kind.NUMBER),
    /** Ancestry from the web server down, "nginx > sh > curl". */
    LINEAGE_CHAIN(Kind.TEXT),

    // --- network (connect events) ---
    /** Destination address as text (Sigma DestinationIp); also an ADDRESS for cidr. */
    DESTINATION_IP(Kind.ADDRESS),
    DESTINATION_PORT(Kind.NUMBER),
    SOURCE_IP(Kind.ADDRESS),
    SOURCE_PORT(Kind.NUMBER),
    /** "tcp". */
    PROTOCOL(Kind.TEXT),
    /** "true" for outbound connections (Sigma Initiated), "false" for a listen. */
    INITIATED(Kind.TEXT),
    /** The name in a DNS query (Sigma DestinationHostname, ECS dns.question.name). */
    DESTINATION_HOSTNAME(Kind.TEXT),
    /** The DNS query type, "A", "TXT"... (ECS dns.question.type). */
    DNS_QUERY_TYPE(Kind.TEXT),

    // --- files (file events) ---
    /** The path written, as the kernel resolved it (Sigma TargetFilename, ECS file.path). */
    TARGET_FILENAME(Kind.TEXT),
    /** creation, write, truncate, rename, link, chmod (ECS event.action). */
    FILE_ACTION(Kind.TEXT),
    /** Why the kernel watched the path: writable, persistence, web_root. */
    FILE_CLASS(Kind.TEXT),
    /** chmod: the mode asked for; else the file's mode (octal in text). */
    FILE_MODE(Kind.NUMBER),

    // --- privilege (privilege events) ---
    /** setuid, setreuid, setresuid, capset (ECS event.action). */
    PRIVILEGE_CALL(Kind.TEXT),
    /** The effective uid before the call. */
    PREVIOUS_EFFECTIVE_USER_ID(Kind.NUMBER);

    /** How a field's value can be read from an {@link EventView}. */
    public enum Kind {
        /** {@link EventView#text(Field)}. */
        TEXT,
        /** {@link EventView#number(Field)}, and {@link EventView#text(Field)} in decimal. */
        NUMBER,
        /** {@link EventView#address(Field, byte[])}, and {@link EventView#text(Field)}. */
        ADDRESS
    }

    private final Kind kind;

    Field(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
