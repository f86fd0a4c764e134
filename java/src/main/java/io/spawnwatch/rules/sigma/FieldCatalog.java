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
 * lineage, file and privilege fields,
 * and the ECS names (so an exception can say {@code process.executable}).
 * Names Sigma knows but our events can never carry are refused with the reason,
 * rather than compiled into a selection that silently never matches.
 */
public final class FieldCatalog {
    private static final Map<String, Field> NAMES = new LinkedHashMap<>();
    private static final Map<String, String> NEVER_PRESENT = new LinkedHashMap<>();
    private static final Set<Field> NETWORK_ONLY = EnumSet.of(
            Field.DESTINATION_IP, Field.DESTINATION_PORT, Field.SOURCE_IP, Field.SOURCE_PORT,
            Field.PROTOCOL, Field.INITIATED, Field.DESTINATION_HOSTNAME, Field.DNS_QUERY_TYPE);
    private static final Set<Field> FILE_ONLY = EnumSet.of(
            Field.TARGET_FILENAME, Field.FILE_ACTION, Field.FILE_CLASS, Field.FILE_MODE);
    private static final Set<Field> PRIVILEGE_ONLY = EnumSet.of(
            Field.PRIVILEGE_CALL, Field.PREVIOUS_EFFECTIVE_USER_ID);

    static {
        sigma("Image", Field.IMAGE, "process.executable");
        sigma("CommandLine", Field.COMMAND_LINE, "process.command_line");
        sigma("ProcessName", Field.PROCESS_NAME, "process.name");
        sigma("CurrentDirectory", Field.CURRENT_DIRECTORY, "process.working_directory");
        sigma("ProcessId", Field.PROCESS_ID, "process.pid");
        sigma("User", Field.USER, "user.name");
        sigma("UserId", Field.USER_ID, "user.id");
        sigma("GroupId", Field.GROUP_ID, "group.id");
        sigma("EffectiveUserId", Field.EFFECTIVE_USER_ID, "user.effective.id");
        sigma("ScriptPath", Field.SCRIPT_PATH, "spawnwatch.script.path");
        sigma("ParentImage", Field.PARENT_IMAGE, "process.parent.executable");
        sigma("ParentCommandLine", Field.PARENT_COMMAND_LINE, "process.parent.command_line");
        sigma("ParentName", Field.PARENT_NAME, "process.parent.name");
        sigma("ParentCurrentDirectory", Field.PARENT_CURRENT_DIRECTORY, "process.parent.working_directory");
        sigma("ParentProcessId", Field.PARENT_PROCESS_ID, "process.parent.pid");
        sigma("ContainerId", Field.CONTAINER_ID, "container.id");
        sigma("LineageRootName", Field.LINEAGE_ROOT_NAME, null);
        sigma("LineageRootImage", Field.LINEAGE_ROOT_IMAGE, null);
        sigma("LineageRootPid", Field.LINEAGE_ROOT_PID, null);
        sigma("LineageDepth", Field.LINEAGE_DEPTH, null);
        sigma("LineageChain", Field.LINEAGE_CHAIN, null);
        sigma("DestinationIp", Field.DESTINATION_IP, "destination.ip");
        sigma("DestinationPort", Field.DESTINATION_PORT, "destination.port");
        sigma("SourceIp", Field.SOURCE_IP, "source.ip");
        sigma("SourcePort", Field.SOURCE_PORT, "source.port");
        sigma("Protocol", Field.PROTOCOL, "network.transport");
        sigma("Initiated", Field.INITIATED, null);
        sigma("DestinationHostname", Field.DESTINATION_HOSTNAME, "dns.question.name");
        sigma("DnsQueryType", Field.DNS_QUERY_TYPE, "dns.question.type");
        sigma("TargetFilename", Field.TARGET_FILENAME, "file.path");
        sigma("FileAction", Field.FILE_ACTION, null);
        sigma("FileClass", Field.FILE_CLASS, null);
        sigma("FileMode", Field.FILE_MODE, null);
        sigma("PrivilegeCall", Field.PRIVILEGE_CALL, null);
        sigma("PreviousEffectiveUserId", Field.PREVIOUS_EFFECTIVE_USER_ID, null);

        NEVER_PRESENT.put("SourceHostname", "is never present: the sensor sees addresses, and names only in the"
                + " DNS queries the lineage sends (DestinationHostname); match SourceIp (with |cidr) instead");
        NEVER_PRESENT.put("DestinationIsIpv6", "is not provided; use DestinationIp|cidr: '::/0'");
        NEVER_PRESENT.put("SourceIsIpv6", "is not provided; use SourceIp|cidr: '::/0'");
        for (String h : new String[] {"Hashes", "md5", "sha1", "sha256", "Imphash"}) {
            NEVER_PRESENT.put(h, "is never present: the sensor does not hash executables");
        }
        for (String w : new String[] {"OriginalFileName", "Product", "Company", "Description",
            "FileVersion", "IntegrityLevel", "LogonId", "LogonGuid", "ProcessGuid", "ParentProcessGuid",
            "ParentUser", "TerminalSessionId", "EventID"}) {
            NEVER_PRESENT.put(w, "is a Windows field and is never present in linux events");
        }
    }

    private FieldCatalog() {}

    private static void sigma(String name, Field field, String ecs) {
        NAMES.put(name, field);
        if (ecs != null) {
            NAMES.put(ecs, field);
        }
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

    /** The Sigma-style names, for messages and documentation. */
    public static java.util.List<String> sigmaNames() {
        return NAMES.keySet().stream().filter(n -> n.indexOf('.') < 0).toList();
    }

    /** The name a rule would use for a field (for alert keys and messages). */
    public static String sigmaName(Field field) {
        for (Map.Entry<String, Field> e : NAMES.entrySet()) {
            if (e.getValue() == field) {
                return e.getKey();
            }
        }
        return field.name();
    }
}
