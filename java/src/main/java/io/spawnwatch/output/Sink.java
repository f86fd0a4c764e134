package io.spawnwatch.output;

/** An output. offer() never blocks the caller (the ring reader): a document that does not fit is dropped and counted. */
public interface Sink extends AutoCloseable {
    /** e.g. "stdout", "file:/var/log/x.ndjson", "kafka", "incidents". */
    String name();

    /** The pipeline renders event documents only when some sink (or a control-socket follower) wants them. */
    boolean wants(DocumentKind kind);

    void offer(Document document);

    SinkStats stats();

    /** Drains for a bounded time, counts what is left as dropped. */
    @Override
    void close();
}
