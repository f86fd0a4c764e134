package io.spawnwatch.output;

/**
 * One rendered ECS document, as every sink receives it.
 *
 * @param kind            what the document is
 * @param line            one UTF-8 JSON object followed by a single '\n'; sinks write it as it is and never
 *                        change it (the same array goes to every sink)
 * @param rootPid         the lineage root (web-server instance) the event belongs to, 0 when none or unknown
 * @param rootStartBootNs that root's start time, in ns since boot (the kernel's task start_time), 0 when unknown;
 *                        with rootPid it names one web-server instance even after pid reuse
 * @param timestampNanos  the document's {@code @timestamp}, in ns since the Unix epoch
 */
public record Document(DocumentKind kind, byte[] line, int rootPid, long rootStartBootNs, long timestampNanos) {}
