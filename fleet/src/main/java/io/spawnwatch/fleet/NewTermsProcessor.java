package io.spawnwatch.fleet;

import java.time.Duration;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Fleet-wide new terms over records keyed by (parent executable, command line): a key is new when no host in
 * the fleet sent it within the history window (Elastic's new-terms rule type, over the whole fleet instead of
 * one host). The store holds each key's last-seen event time (a changelogged store, so a restarted job resumes
 * with it); keys older than the history are deleted once per hour of stream time, which bounds the store by the
 * keys seen in the history window. Each partition's first event time is kept under the key {@link #STARTED}
 * (never a group key: those are JSON arrays) to know when its learning ends. A key's history restarts when it
 * was last seen more than the history ago (then it is new again, and its last-seen time may already be swept).
 */
final class NewTermsProcessor implements Processor<String, Candidate, String, byte[]> {
    static final String STORE = "new-terms-last-seen";
    static final String STARTED = "started";
    private static final Duration SWEEP = Duration.ofHours(1);

    private final long historyMillis;
    private final long learningMillis;
    private final FleetCounters counters;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, Long> lastSeen;

    NewTermsProcessor(FleetSettings settings, FleetCounters counters) {
        this.historyMillis = settings.newTermsHistory().toMillis();
        this.learningMillis = settings.newTermsLearning().toMillis();
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.lastSeen = context.getStateStore(STORE);
        context.schedule(SWEEP, PunctuationType.STREAM_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, Candidate> record) {
        Candidate c = record.value();
        long ts = c.timestampMillis();
        Long started = lastSeen.get(STARTED);
        if (started == null) {
            started = ts;
            lastSeen.put(STARTED, ts);
        }
        Long previous = lastSeen.get(record.key());
        boolean isNew = previous == null || ts - previous > historyMillis;
        if (previous == null || ts > previous) {
            lastSeen.put(record.key(), ts);
        }
        if (isNew && ts - started >= learningMillis) {
            counters.newTermsAlerts.incrementAndGet();
            String hostKey = c.hostId() != null ? c.hostId() : c.agentId();
            context.forward(new Record<>(hostKey, FleetAlerts.newTerm(c, previous == null ? 0 : previous,
                    System.currentTimeMillis()), ts));
        }
    }

    /** Deletes the keys last seen before the history window (stream time). */
    private void sweep(long streamTime) {
        long oldest = streamTime - historyMillis;
        try (KeyValueIterator<String, Long> it = lastSeen.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (!STARTED.equals(kv.key) && kv.value < oldest) {
                    lastSeen.delete(kv.key);
                }
            }
        }
    }
}
