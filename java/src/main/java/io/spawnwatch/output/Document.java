package io.spawnwatch.output;

/**
 * One rendered ECS document: {@code line} is one UTF-8 JSON object followed by
 * '\n'; rootPid/rootStartBootNs identify the lineage root (web-server instance)
 * the event belongs to (0 when none / unknown); timestampNanos is @timestamp as
 * epoch ns.
 */
public record Document(DocumentKind kind, byte[] line, int rootPid, long rootStartBootNs, long timestampNanos) {}
