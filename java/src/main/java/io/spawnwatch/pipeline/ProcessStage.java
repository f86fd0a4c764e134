package io.spawnwatch.pipeline;

import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.enrich.ProcessTable;
import io.spawnwatch.event.EventType;

/**
 * The process-table stage: an exec the pipeline keeps becomes what the table knows of that process (its name,
 * executable, command line and directory, for its children's parent fields and lineage chains). It runs after
 * the decoder and the web-server recognition, so a record that is refused or dropped leaves no trace.
 */
public final class ProcessStage {
    private final ProcessTable table;

    public ProcessStage(ProcessTable table) {
        this.table = table;
    }

    /** Records the current event's process when it is an exec; a connect changes nothing. */
    public void record(EnrichedEvent event) {
        if (event.type() == EventType.EXEC) {
            table.recordExec(event.exec());
        }
    }

    /** Slots reused while still holding another process. */
    public long evictions() {
        return table.evictions();
    }
}
