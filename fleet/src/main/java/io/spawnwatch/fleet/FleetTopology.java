package io.spawnwatch.fleet;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The fleet job's topology.
 *
 * <pre>
 * candidates (key: host) -> parse, event time := @timestamp
 *   -> key by (executable, working dir, parent executable) -> repartition "rarity-groups"
 *        -> 61-min tumbling windows, count and agents ("rarity-windows", changelogged)
 *        -> emitted once, when the window closes (stream time past end + grace)
 *        -> keep: exactly 1 agent and count &lt; 5 -> ECS alert -> alerts topic (key: host)
 *   -> key by (parent executable, command line) -> repartition "new-terms-keys"
 *        -> last seen per key ("new-terms-last-seen", changelogged) -> new in 7 days -> ECS alert -> new-terms topic
 * </pre>
 *
 * Both aggregations are keyed, so the job scales by the partitions of the candidates topic (the repartition
 * topics get as many); run with {@code processing.guarantee=exactly_once_v2} so that state, offsets and alerts
 * commit together and a restart neither loses nor repeats an alert. Stream time is per partition: a partition
 * that receives nothing does not close its windows until it does (the sensors' steady traffic keeps it moving).
 */
public final class FleetTopology {
    private FleetTopology() {}

    public static Topology build(FleetSettings s, FleetCounters counters) {
        StreamsBuilder b = new StreamsBuilder();
        JsonSerde<Candidate> candidateSerde = new JsonSerde<>(Candidate.class);
        KStream<String, Candidate> candidates = b
                .stream(s.candidatesTopic(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("candidates"))
                .processValues(() -> new ParseCandidates(counters), Named.as("parse-candidates"));

        long maxEvents = s.maxEvents();
        candidates
                .selectKey((host, c) -> c.rarityKey(), Named.as("rarity-key"))
                .groupByKey(Grouped.with("rarity-groups", Serdes.String(), candidateSerde))
                .windowedBy(TimeWindows.ofSizeAndGrace(s.window(), s.grace()))
                .emitStrategy(EmitStrategy.onWindowClose())
                .aggregate(WindowCounts::new, (group, c, counts) -> counts.add(c), Named.as("rarity-count"),
                        Materialized.<String, WindowCounts, WindowStore<Bytes, byte[]>>as("rarity-windows")
                                .withKeySerde(Serdes.String())
                                .withValueSerde(new JsonSerde<>(WindowCounts.class)))
                .toStream(Named.as("rarity-closed"))
                .filter((w, counts) -> counts.isRare(maxEvents), Named.as("rarity-rare"))
                .map((w, counts) -> {
                    counters.rarityAlerts.incrementAndGet();
                    WindowCounts.AgentCount agent = counts.agents.getFirst();
                    String hostKey = agent.hostId != null ? agent.hostId : agent.agentId;
                    return KeyValue.pair(hostKey, FleetAlerts.rarity(w.key(), w.window().start(), w.window().end(),
                            counts, System.currentTimeMillis()));
                }, Named.as("rarity-alert"))
                .to(s.alertsTopic(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("rarity-alerts"));

        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NewTermsProcessor.STORE),
                Serdes.String(), Serdes.Long()));
        candidates
                .selectKey((host, c) -> c.newTermsKey(), Named.as("new-terms-key"))
                .repartition(Repartitioned.with(Serdes.String(), candidateSerde).withName("new-terms-keys"))
                .process(() -> new NewTermsProcessor(s, counters), Named.as("new-terms"), NewTermsProcessor.STORE)
                .to(s.newTermsTopic(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("new-terms-alerts"));
        return b.build();
    }
}
