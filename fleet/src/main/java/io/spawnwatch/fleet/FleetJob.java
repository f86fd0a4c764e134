package io.spawnwatch.fleet;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The running fleet job: {@link FleetTopology} in a {@link KafkaStreams} instance with exactly-once processing.
 * Several instances with the same application id share the work by partitions.
 *
 * <pre>{@code
 * Properties p = new Properties();            // bootstrap.servers, TLS/SASL settings, state.dir ...
 * try (FleetJob job = FleetJob.start(p, FleetSettings.defaults())) { ... }
 * }</pre>
 */
public final class FleetJob implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FleetJob.class.getName());

    private final KafkaStreams streams;
    private final FleetCounters counters;

    private FleetJob(KafkaStreams streams, FleetCounters counters) {
        this.streams = streams;
        this.counters = counters;
    }

    /**
     * The Kafka Streams settings the job needs, over the caller's: exactly_once_v2 always (what makes restarts
     * neither lose nor repeat alerts); the application id defaults to "spawnwatch-fleet". Closed windows are
     * looked for on every record (Kafka Streams' internal default, once a second of wall-clock time, leaves a
     * window that closed on the last record of a burst unemitted until the next record comes; the look is one
     * empty range scan when no window boundary was crossed). The setting is Kafka Streams' internal one
     * ({@code StreamsConfig.InternalConfig}): check it when Kafka is upgraded (FleetJobKafkaTest fails without it).
     */
    public static Properties streamsProperties(Properties user) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "spawnwatch-fleet");
        p.put(StreamsConfig.InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, 0L);
        p.putAll(user);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return p;
    }

    /** Builds the topology and starts it; returns at once (the streams threads do the work). */
    public static FleetJob start(Properties user, FleetSettings settings) {
        FleetCounters counters = new FleetCounters();
        KafkaStreams streams = new KafkaStreams(FleetTopology.build(settings, counters), streamsProperties(user));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.log(System.Logger.Level.ERROR, "fleet: a stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.log(System.Logger.Level.INFO, "fleet: " + before + " -> "
                + now));
        streams.start();
        return new FleetJob(streams, counters);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public FleetCounters counters() {
        return counters;
    }

    /** Orderly stop: commits what was processed (at most 60 s). */
    @Override
    public void close() {
        streams.close(Duration.ofSeconds(60));
        LOG.log(System.Logger.Level.INFO, "fleet: stopped; " + counters);
    }
}
