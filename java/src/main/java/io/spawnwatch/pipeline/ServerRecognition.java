package io.spawnwatch.pipeline;

import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.error.BpfException;
import io.spawnwatch.event.Field;
import io.spawnwatch.event.SegmentText;
import io.spawnwatch.kernel.FilterMaps;
import io.spawnwatch.kernel.ServerCommandLines;

/**
 * An interpreter's exec that the kernel sent only because it might be a web server (match bit CANDIDATE): when
 * its command line shows a server ({@code webservers.server_command_lines}), the process becomes a lineage root
 * in the kernel and the event goes on as a web server's; otherwise the pipeline drops it, counted.
 */
public final class ServerRecognition {
    private static final System.Logger LOG = System.getLogger(ServerRecognition.class.getName());

    private final ServerCommandLines serverLines;
    private final FilterMaps filter;
    private final SegmentText commandLine = new SegmentText();

    /** @param filter where a recognised server becomes a root; null in tests that need no kernel */
    public ServerRecognition(ServerCommandLines serverLines, FilterMaps filter) {
        this.serverLines = serverLines;
        this.filter = filter;
    }

    /** True when the current (candidate) event's command line names a server; it is then followed as a root. */
    public boolean recognise(EnrichedEvent event) {
        String fragment = serverLines.find(event.exec().commandLine(commandLine));
        if (fragment == null) {
            return false;
        }
        int pid = event.record().pid();
        if (filter != null) {
            try {
                filter.addRoot(pid, event.record().startBootNanos());
            } catch (BpfException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot follow pid " + pid + " as a web server: "
                        + e.getMessage());
                return true;
            }
        }
        LOG.log(System.Logger.Level.INFO, "following pid " + pid + " (" + event.text(Field.PROCESS_NAME)
                + ") as a web server: its command line contains '" + fragment + "'");
        return true;
    }
}
