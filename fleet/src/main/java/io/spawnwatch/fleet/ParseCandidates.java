package io.spawnwatch.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Parses each candidate document once and re-stamps the record with its {@code @timestamp}, so that every
 * window downstream runs on event time, whatever time the producer put on the record. A document that is not a
 * candidate is dropped, counted in {@link FleetCounters#badCandidates} and logged (the first 10, then every
 * 1000th) with a one-line reason naming the field.
 */
final class ParseCandidates implements FixedKeyProcessor<String, byte[], Candidate> {
    private static final System.Logger LOG = System.getLogger(ParseCandidates.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicLong bad;
    private final AtomicLong parsed;
    private FixedKeyProcessorContext<String, Candidate> context;

    ParseCandidates(FleetCounters counters) {
        this.bad = counters.badCandidates;
        this.parsed = counters.candidates;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Candidate> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        Candidate c;
        try {
            c = Candidate.parse(JSON, record.value());
        } catch (Candidate.BadCandidate e) {
            long n = bad.incrementAndGet();
            if (n <= 10 || n % 1000 == 0) {
                String where = context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                        .orElse("?");
                LOG.log(System.Logger.Level.WARNING, "fleet: candidate " + where + " dropped (" + n
                        + " so far): " + e.getMessage());
            }
            return;
        }
        parsed.incrementAndGet();
        context.forward(record.withValue(c).withTimestamp(c.timestampMillis()));
    }
}
