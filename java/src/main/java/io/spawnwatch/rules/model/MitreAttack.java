package io.spawnwatch.rules.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sigma ATT&CK tags ({@code attack.execution}, {@code attack.t1059.004}) turned
 * into the ids and names ECS wants in {@code threat.*}. The table holds the
 * enterprise tactics and the techniques a web-shell sensor's rules use; a
 * technique it does not know keeps its id as its name (the rule still loads).
 */
public final class MitreAttack {
    /** An ATT&CK tactic, e.g. TA0002 Execution. */
    public record Tactic(String id, String name) {
        public String reference() {
            return "https://attack.mitre.org/tactics/" + id + "/";
        }
    }

    /** A technique or sub-technique, e.g. T1059 or T1059.004. */
    public record Technique(String id, String name) {
        public boolean isSubtechnique() {
            return id.indexOf('.') > 0;
        }

        public String reference() {
            return "https://attack.mitre.org/techniques/" + id.replace('.', '/') + "/";
        }
    }

    /** What a rule's tags map to, in tag order, without duplicates. */
    public record Mapping(List<Tactic> tactics, List<Technique> techniques, List<Technique> subtechniques) {
        public boolean isEmpty() {
            return tactics.isEmpty() && techniques.isEmpty();
        }
    }

    private static final Map<String, Tactic> TACTICS = new LinkedHashMap<>();
    private static final Map<String, String> TECHNIQUES = new LinkedHashMap<>();

    static {
        tactic("reconnaissance", "TA0043", "Reconnaissance");
        tactic("resource_development", "TA0042", "Resource Development");
        tactic("initial_access", "TA0001", "Initial Access");
        tactic("execution", "TA0002", "Execution");
        tactic("persistence", "TA0003", "Persistence");
        tactic("privilege_escalation", "TA0004", "Privilege Escalation");
        tactic("defense_evasion", "TA0005", "Defense Evasion");
        tactic("credential_access", "TA0006", "Credential Access");
        tactic("discovery", "TA0007", "Discovery");
        tactic("lateral_movement", "TA0008", "Lateral Movement");
        tactic("collection", "TA0009", "Collection");
        tactic("command_and_control", "TA0011", "Command and Control");
        tactic("exfiltration", "TA0010", "Exfiltration");
        tactic("impact", "TA0040", "Impact");

        technique("T1003", "OS Credential Dumping");
        technique("T1003.008", "/etc/passwd and /etc/shadow");
        technique("T1005", "Data from Local System");
        technique("T1016", "System Network Configuration Discovery");
        technique("T1018", "Remote System Discovery");
        technique("T1027", "Obfuscated Files or Information");
        technique("T1033", "System Owner/User Discovery");
        technique("T1046", "Network Service Discovery");
        technique("T1049", "System Network Connections Discovery");
        technique("T1053", "Scheduled Task/Job");
        technique("T1053.003", "Cron");
        technique("T1057", "Process Discovery");
        technique("T1059", "Command and Scripting Interpreter");
        technique("T1059.004", "Unix Shell");
        technique("T1059.006", "Python");
        technique("T1059.007", "JavaScript");
        technique("T1059.011", "Lua");
        technique("T1071", "Application Layer Protocol");
        technique("T1071.001", "Web Protocols");
        technique("T1082", "System Information Discovery");
        technique("T1083", "File and Directory Discovery");
        technique("T1090", "Proxy");
        technique("T1095", "Non-Application Layer Protocol");
        technique("T1098", "Account Manipulation");
        technique("T1098.004", "SSH Authorized Keys");
        technique("T1105", "Ingress Tool Transfer");
        technique("T1132", "Data Encoding");
        technique("T1140", "Deobfuscate/Decode Files or Information");
        technique("T1190", "Exploit Public-Facing Application");
        technique("T1222", "File and Directory Permissions Modification");
        technique("T1222.002", "Linux and Mac File and Directory Permissions Modification");
        technique("T1505", "Server Software Component");
        technique("T1505.003", "Web Shell");
        technique("T1552", "Unsecured Credentials");
        technique("T1552.001", "Credentials In Files");
        technique("T1552.004", "Private Keys");
        technique("T1552.005", "Cloud Instance Metadata API");
        technique("T1571", "Non-Standard Port");
        technique("T1572", "Protocol Tunneling");
    }

    private MitreAttack() {}

    private static void tactic(String tag, String id, String name) {
        TACTICS.put(tag, new Tactic(id, name));
    }

    private static void technique(String id, String name) {
        TECHNIQUES.put(id, name);
    }

    /** Maps the ATT&CK tags among {@code tags}; other namespaces (cve., detection.) are ignored. */
    public static Mapping fromTags(List<String> tags) {
        List<Tactic> tactics = new ArrayList<>();
        List<Technique> techniques = new ArrayList<>();
        List<Technique> subs = new ArrayList<>();
        for (String tag : tags) {
            String t = tag.toLowerCase(Locale.ROOT);
            if (!t.startsWith("attack.")) {
                continue;
            }
            String rest = t.substring("attack.".length());
            if (rest.matches("t\\d{4}(\\.\\d{3})?")) {
                String id = rest.toUpperCase(Locale.ROOT);
                int dot = id.indexOf('.');
                String parent = dot < 0 ? id : id.substring(0, dot);
                addOnce(techniques, new Technique(parent, TECHNIQUES.getOrDefault(parent, parent)));
                if (dot > 0) {
                    addOnce(subs, new Technique(id, TECHNIQUES.getOrDefault(id, id)));
                }
            } else {
                // Sigma has written tactics both as command-and-control and command_and_control.
                Tactic tactic = TACTICS.get(rest.replace('-', '_'));
                if (tactic != null) {
                    addOnce(tactics, tactic);
                }
            }
        }
        return new Mapping(List.copyOf(tactics), List.copyOf(techniques), List.copyOf(subs));
    }

    private static <T> void addOnce(List<T> list, T item) {
        if (!list.contains(item)) {
            list.add(item);
        }
    }
}
