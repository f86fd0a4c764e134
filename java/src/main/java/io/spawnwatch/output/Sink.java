package io.spawnwatch.output;

/**
 * An output of rendered documents (stdout, a file, Kafka, the incident store...). The pipeline holds a list of
 * sinks and offers each document to every sink that {@link #wants} its kind.
 *
 * <p>{@link #offer} is called on the ring-reader thread and never blocks it: a document that does not fit is
 * dropped and counted in {@link SinkStats#dropped()}. Nothing a sink does is silent: every document ends up
 * written, dropped or counted as an error.
 */
public interface Sink extends AutoCloseable {

    /** A short name for logs, {@code status} and {@code stats}: "stdout", "file:/var/log/x.ndjson", "kafka". */
    String name();

    /**
     * Whether this sink takes documents of this kind. The pipeline renders event documents only when some sink
     * (or a control-socket follower) wants them, so answer from configuration, cheaply, always the same.
     */
    boolean wants(DocumentKind kind);

    /** Queues the document, or drops and counts it when the queue is full; never blocks, never throws. */
    void offer(Document document);

    /** The sink's counters now. */
    SinkStats stats();

    /** Drains for a bounded time, counts what is left as dropped, and releases the output. Idempotent. */
    @Override
    void close();
}
