package io.spawnwatch.pipeline;

import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.recognition.ServerRecognizer;

/**
 * The recognition stage: what the kernel sent only because it might be a web server (match bit CANDIDATE: an
 * interpreter's exec, a listen outside the lineage) is judged by {@link ServerRecognizer}; a process it
 * recognises becomes a lineage root in the kernel. A candidate exec that made its process a root goes on as a
 * web server's event; other candidates stop here, counted. Other events pass, a root's own exec noted.
 */
public final class ServerRecognition {
    private final ServerRecognizer recognizer;

    public ServerRecognition(ServerRecognizer recognizer) {
        this.recognizer = recognizer;
    }

    /** True when the current event goes on to the process table, rules and sinks. */
    public boolean admit(EnrichedEvent event) {
        return recognizer.admit(event);
    }
}
