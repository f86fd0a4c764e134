package io.spawnwatch.output;

import io.spawnwatch.config.OutputConfig;
import io.spawnwatch.error.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sinks of {@code outputs:}, opened once, offered every document of a kind one of them wants. Holds the
 * answer to {@link #wants} per kind, so that the ring reader asks an array, not each sink.
 *
 * <p>Also the rule of what leaves the host for the fleet job: {@link #FLEET_RULE_ID}'s candidates.
 */
public final class ConfiguredSinks implements AutoCloseable {
    /**
     * The seed rule (Unusual Process Spawned from Web Server Parent): its candidates before rarity go out as
     * FLEET_CANDIDATE documents, since its rarity is a fleet-wide question (the fleet module answers it).
     */
    public static final String FLEET_RULE_ID = "318e95ea-2c21-4272-b1a1-bf07308e812b";

    private final Sink[] sinks;
    private final boolean[] wanted = new boolean[DocumentKind.values().length];

    private ConfiguredSinks(List<Sink> sinks) {
        this.sinks = sinks.toArray(Sink[]::new);
        for (Sink s : sinks) {
            for (DocumentKind k : DocumentKind.values()) {
                wanted[k.ordinal()] |= s.wants(k);
            }
        }
    }

    /** Opens every configured output; the Kafka outputs key their records by {@link #hostKey(Path)}. */
    public static ConfiguredSinks open(List<OutputConfig> outputs) throws ConfigException {
        return new ConfiguredSinks(ConfiguredOutputs.open(outputs, hostKey(Path.of("/etc"))));
    }

    /** The sinks, for status and stats. */
    public List<Sink> sinks() {
        return List.of(sinks);
    }

    public boolean wants(DocumentKind kind) {
        return wanted[kind.ordinal()];
    }

    /** Offers one rendered line to every sink that wants its kind; never blocks. */
    public void offer(DocumentKind kind, byte[] line, int rootPid, long rootStartBootNs, long timestampNanos) {
        if (!wanted[kind.ordinal()]) {
            return;
        }
        Document d = new Document(kind, line, rootPid, rootStartBootNs, timestampNanos);
        for (Sink s : sinks) {
            if (s.wants(kind)) {
                s.offer(d);
            }
        }
    }

    /** Each sink's counters by name. */
    public Map<String, SinkStats> stats() {
        Map<String, SinkStats> out = new LinkedHashMap<>();
        for (Sink s : sinks) {
            out.put(s.name(), s.stats());
        }
        return out;
    }

    @Override
    public void close() {
        for (Sink s : sinks) {
            s.close();
        }
    }

    /**
     * This host's id, the key of its Kafka records: {@code host.id} as ECS and Elastic Agent have it, systemd's
     * /etc/machine-id; the kernel's host name where there is none.
     */
    static String hostKey(Path etc) {
        try {
            String id = Files.readString(etc.resolve("machine-id")).strip();
            if (id.matches("[0-9a-f]{32}")) {
                return id;
            }
        } catch (IOException e) {
            // no machine-id: a container without the host's /etc, a minimal system
        }
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
