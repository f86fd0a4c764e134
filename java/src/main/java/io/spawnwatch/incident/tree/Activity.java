package io.spawnwatch.incident.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * Something a process did besides exec: a connection, a file, a DNS query...
 * (every event.category other than process).
 *
 * @param timestampNs @timestamp, epoch ns
 * @param category the first event.category ("network", "file", ...)
 * @param action event.action ("connection_attempted", ...)
 * @param summary one line for people: "tcp 127.0.0.1:4444", a file path, a
 *     DNS name
 * @param document index into {@link IncidentTree#documents()}
 * @param alerts alerts raised on it
 */
public record Activity(long timestampNs, String category, String action, String summary, int document,
        List<AlertMark> alerts) {

    Activity(long timestampNs, String category, String action, String summary, int document) {
        this(timestampNs, category, action, summary, document, new ArrayList<>());
    }
}
