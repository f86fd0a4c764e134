package io.spawnwatch.incident.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * One process of an incident's tree.
 *
 * @param key stable within the tree ("p0" is the web server); used as an
 *     anchor in the HTML page
 * @param entityId process.entity_id when the documents carry it, else null
 * @param pid process.pid
 * @param name process.name (the kernel's comm)
 * @param executable process.executable, or null
 * @param args process.args, empty when unknown
 * @param commandLine process.command_line, or null
 * @param user user.name, or null
 * @param workingDirectory process.working_directory, or null
 * @param startNs @timestamp of its exec (epoch ns); 0 when it is known only
 *     as someone's parent or as the web server
 * @param role what the node is: "web_server" (the lineage root), "exec" (an
 *     exec seen in the incident), "exec_in_place" (an exec of a process that
 *     had already exec'd: same pid), "parent" (known only from a child's
 *     process.parent fields)
 * @param children processes it started, in time order
 * @param activities its connections, files, DNS queries..., in time order
 * @param alerts alerts raised on its exec
 * @param documents indexes into {@link IncidentTree#documents()} of every
 *     document about this process
 */
public record ProcessNode(String key, String entityId, int pid, String name, String executable, List<String> args,
        String commandLine, String user, String workingDirectory, long startNs, String role,
        List<ProcessNode> children, List<Activity> activities, List<AlertMark> alerts, List<Integer> documents) {

    ProcessNode(String key, String entityId, int pid, String name, String executable, List<String> args,
            String commandLine, String user, String workingDirectory, long startNs, String role) {
        this(key, entityId, pid, name, executable, List.copyOf(args), commandLine, user, workingDirectory, startNs,
                role, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    /** Alerts on this process and on its activities. */
    public int alertCount() {
        int n = alerts.size();
        for (Activity a : activities) {
            n += a.alerts().size();
        }
        return n;
    }

    /** The highest severity among {@link #alertCount()}'s alerts; 0 when none. */
    public int highestSeverity() {
        int s = 0;
        for (AlertMark a : alerts) {
            s = Math.max(s, a.severity());
        }
        for (Activity act : activities) {
            for (AlertMark a : act.alerts()) {
                s = Math.max(s, a.severity());
            }
        }
        return s;
    }
}
