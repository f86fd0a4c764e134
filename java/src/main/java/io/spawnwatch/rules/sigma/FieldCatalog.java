package io.spawnwatch.rules.sigma;

import io.spawnwatch.event.EventType;
import io.spawnwatch.event.Field;
import io.spawnwatch.rules.yaml.YamlException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The field names a rule may use, mapped onto {@link Field}: the names Sigma
 * uses for linux process_creation, network_connection and file_event, our
 * lineage, file and privilege fields, and the ECS names from
 * {@link Field#ecsName()} (so an exception can say {@code process.executable},
 * and a rule can test {@code process.args}, for which Sigma has no name).
 * Names Sigma knows but our events can never carry are refused with the reason,
 * rather than compiled into a selection that silently never matches.
 */
public final class FieldCatalog {
    private static final Map<String, Field> NAMES = new LinkedHashMap<>();
    private static final Map<String, String> NEVER_PRESENT = new LinkedHashMap<>();
    private static final Set<String> ALIASES = new java.util.HashSet<>();
    private static final Set<Field> NETWORK_ONLY = EnumSet.of(
            Field.DESTINATION_IP, Field.DESTINATION_PORT, Field.SOURCE_IP, Field.SOURCE_PORT,
            Field.PROTOCOL, Field.INITIATED, Field.DESTINATION_HOSTNAME, Field.DNS_QUERY_TYPE);
    private static final Set<Field> FILE_ONLY = EnumSet.of(
            Field.TARGET_FILENAME, Field.FILE_ACTION, Field.FILE_CLASS, Field.FILE_MODE);
    private static final Set<Field> PRIVILEGE_ONLY = EnumSet.of(
            Field.PRIVILEGE_CALL, Field.PREVIOUS_EFFECTIVE_USER_ID);

    static {
        sigma("Image", Field.IMAGE);
        sigma("CommandLine", Field.COMMAND_LINE);
        sigma("ProcessName", Field.PROCESS_NAME);
        sigma("CurrentDirectory", Field.CURRENT_DIRECTORY);
        sigma("ProcessId", Field.PROCESS_ID);
        sigma("User", Field.USER);
        sigma("UserId", Field.USER_ID);
        sigma("GroupId", Field.GROUP_ID);
        sigma("EffectiveUserId", Field.EFFECTIVE_USER_ID);
        sigma("ScriptPath", Field.SCRIPT_PATH);
        sigma("ParentImage", Field.PARENT_IMAGE);
        sigma("ParentCommandLine", Field.PARENT_COMMAND_LINE);
        sigma("ParentName", Field.PARENT_NAME);
        sigma("ParentCurrentDirectory", Field.PARENT_CURRENT_DIRECTORY);
        sigma("ParentProcessId", Field.PARENT_PROCESS_ID);
        sigma("ContainerId", Field.CONTAINER_ID);
        sigma("LineageRootName", Field.LINEAGE_ROOT_NAME);
        sigma("LineageRootImage", Field.LINEAGE_ROOT_IMAGE);
        sigma("LineageRootPid", Field.LINEAGE_ROOT_PID);
        sigma("LineageRootStart", Field.LINEAGE_ROOT_START);
        sigma("LineageDepth", Field.LINEAGE_DEPTH);
        sigma("LineageChain", Field.LINEAGE_CHAIN);
        sigma("DestinationIp", Field.DESTINATION_IP);
        sigma("DestinationPort", Field.DESTINATION_PORT);
        sigma("SourceIp", Field.SOURCE_IP);
        sigma("SourcePort", Field.SOURCE_PORT);
        sigma("Protocol", Field.PROTOCOL);
        sigma("Initiated", Field.INITIATED);
        sigma("DestinationHostname", Field.DESTINATION_HOSTNAME);
        sigma("DnsQueryType", Field.DNS_QUERY_TYPE);
        sigma("TargetFilename", Field.TARGET_FILENAME);
        sigma("FileAction", Field.FILE_ACTION);
        sigma("FileClass", Field.FILE_CLASS);
        sigma("FileMode", Field.FILE_MODE);
        sigma("PrivilegeCall", Field.PRIVILEGE_CALL);
        sigma("PreviousEffectiveUserId", Field.PREVIOUS_EFFECTIVE_USER_ID);
        // Sysmon for Linux's LogonId is the process's real uid, not a Windows logon session: its eBPF
        // program stores cred->uid in the low half of m_AuthenticationId (ebpfKern/sysmonProcCreate.c)
        // and SysmonCommon's LogonIdToString prints that half in decimal on Linux (eventsCommon.cpp).
        // It is neither the audit login uid (Sysmon reads task->loginuid but never renders it) nor
        // TerminalSessionId (the audit session id). An alias: the real uid keeps process.real_user.id
        // as its own name in messages and exception files.
        alias("LogonId", Field.REAL_USER_ID);
        // Every field also under its ECS name, from the one table (Field); the ones Sigma has no
        // name for (process.args, process.parent.args, process.real_user.*) only so.
        for (Field f : Field.values()) {
            if (f.ecsName() != null) {
                NAMES.putIfAbsent(f.ecsName(), f);
            }
        }

        NEVER_PRESENT.put("SourceHostname", "is never present: the sensor sees addresses, and names only in the"
                + " DNS queries the lineage sends (DestinationHostname); match SourceIp (with |cidr) instead");
        NEVER_PRESENT.put("DestinationIsIpv6", "is not provided; use DestinationIp|cidr: '::/0'");
        NEVER_PRESENT.put("SourceIsIpv6", "is not provided; use SourceIp|cidr: '::/0'");
        for (String h : new String[] {"Hashes", "md5", "sha1", "sha256", "Imphash"}) {
            NEVER_PRESENT.put(h, "is never present: the sensor does not hash executables");
        }
        for (String w : new String[] {"OriginalFileName", "Product", "Company", "Description",
            "FileVersion", "IntegrityLevel", "LogonGuid", "ProcessGuid", "ParentProcessGuid",
            "ParentUser", "TerminalSessionId", "EventID"}) {
            NEVER_PRESENT.put(w, "is a Windows field and is never present in linux events");
        }
    }

    private FieldCatalog() {}

    private static void sigma(String name, Field field) {
        NAMES.put(name, field);
    }

    /** A second Sigma name for a field that already has one (listed, but never used to name the field). */
    private static void alias(String name, Field field) {
        NAMES.put(name, field);
        ALIASES.add(name);
    }

    /**
     * Resolves a rule's field name.
     *
     * @param type the rule's event type, or null when the matcher may see any
     *     event (operator exceptions)
     * @throws YamlException naming the field and what to do instead
     */
    public static Field resolve(String name, int line, EventType type) {
        Field f = NAMES.get(name);
        if (f == null) {
            String why = NEVER_PRESENT.get(name);
            if (why != null) {
                throw new YamlException(line, "field " + name + " " + why);
            }
            throw new YamlException(line, "unknown field '" + name + "'; known fields: "
                    + String.join(", ", sigmaNames()));
        }
        EventType owner = NETWORK_ONLY.contains(f) ? EventType.CONNECT
                : FILE_ONLY.contains(f) ? EventType.FILE
                : PRIVILEGE_ONLY.contains(f) ? EventType.PRIVILEGE : null;
        if (type != null && owner != null && owner != type) {
            throw new YamlException(line, "field " + name + " is never present in "
                    + SigmaRuleParser.category(type) + " events (it belongs to " + SigmaRuleParser.category(owner)
                    + ")");
        }
        return f;
    }

    /**
     * The names to offer in messages and documentation: the Sigma-style
     * names (aliases too), and the ECS name of each field Sigma has no name for.
     */
    public static java.util.List<String> sigmaNames() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Map.Entry<String, Field> e : NAMES.entrySet()) {
            if (e.getKey().equals(sigmaName(e.getValue())) || ALIASES.contains(e.getKey())) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /**
     * ECS name to the name a rule file uses for the same field (the control
     * socket's exceptions speak ECS; the exceptions file is in rule names).
     */
    public static Map<String, String> ecsToRuleNames() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Field f : Field.values()) {
            if (f.ecsName() != null) {
                out.put(f.ecsName(), sigmaName(f));
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The name a rule would use for a field (for alert keys and messages). */
    public static String sigmaName(Field field) {
        for (Map.Entry<String, Field> e : NAMES.entrySet()) {
            if (e.getValue() == field && !ALIASES.contains(e.getKey())) {
                return e.getKey();
            }
        }
        return field.name();
    }
}
