/**
 * Where rendered documents go: the {@link io.spawnwatch.output.Sink} API every output implements (stdout and
 * {@code --output} files here; Kafka, rotating files and the incident store elsewhere), and
 * {@link io.spawnwatch.output.QueuedSink}, the base that puts an output behind a bounded queue with its own
 * writer thread, so the ring reader never waits for an output and every lost document is counted.
 *
 * <p>The pipeline renders each event's document once and offers the same {@link io.spawnwatch.output.Document}
 * to every sink that wants its {@link io.spawnwatch.output.DocumentKind}.
 */
package io.spawnwatch.output;
