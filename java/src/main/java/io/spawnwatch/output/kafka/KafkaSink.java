package io.spawnwatch.output.kafka;

import io.spawnwatch.output.Document;
import io.spawnwatch.output.DocumentKind;
import io.spawnwatch.output.QueuedSink;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Documents to Kafka: one topic per document kind, keyed by host (all of a host's documents in one partition,
 * in order), record time = the document's {@code @timestamp} (the fleet job's event time), with an idempotent
 * producer (acks=all: a retry after a broker restart neither loses nor duplicates a record).
 *
 * <p>Two bounded buffers, both counted: the base class's queue of documents (full: dropped, counted), and the
 * producer's own {@code buffer.memory}, which holds records while brokers are unreachable and retries them
 * for {@code delivery.timeout.ms}. When the producer's buffer is full, the writer thread waits in
 * {@code send} (up to {@code max.block.ms}) and the queue fills behind it.
 *
 * <p>{@link #stats()}: {@code written} counts documents handed to the producer. What the brokers then refuse
 * or never acknowledge in time is counted per document in {@link #undelivered()} and surfaces as an error of
 * the base class at the next idle moment, with a one-line reason ({@link KafkaErrors}); {@link #acknowledged()}
 * counts what the brokers confirmed. A watchdog logs once when nothing has been acknowledged for 10 s while
 * records wait (a broker down), and once when deliveries resume.
 */
public final class KafkaSink extends QueuedSink {
    private static final System.Logger LOG = System.getLogger(KafkaSink.class.getName());
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final KafkaOutputSettings settings;
    private final Producer<String, byte[]> producer;
    private final Map<DocumentKind, String> topics;
    private final String key;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong undelivered = new AtomicLong();
    private final AtomicLong undeliveredReported = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final ScheduledExecutorService watchdog;
    private volatile long lastAckNanos = System.nanoTime();
    private boolean stalled; // watchdog thread only
    private volatile Thread writerThread;
    private Exception refusedNow; // writer thread only: a callback that ran inside send()

    private final Callback onAck = this::onCompletion;

    /**
     * Creates the producer (it connects lazily) and starts the watchdog.
     *
     * @param hostKey the record key: this host's id ({@code host.id}), the same for every document
     */
    public KafkaSink(KafkaOutputSettings settings, String hostKey) {
        super("kafka:" + settings.bootstrapServers(), settings.queueDocuments());
        this.settings = settings;
        this.topics = new EnumMap<>(settings.topics());
        this.key = hostKey;
        Properties p = settings.producerProperties();
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name("spawnwatch-kafka-watchdog").daemon(true).unstarted(r));
        watchdog.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
        watchdog.execute(this::probe);
    }

    @Override
    public boolean wants(DocumentKind kind) {
        return topics.containsKey(kind);
    }

    @Override
    protected void write(Document d) throws IOException {
        String topic = topics.get(d.kind());
        if (topic == null) {
            return; // not offered: the pipeline asks wants() first
        }
        long millis = d.timestampNanos() / 1_000_000;
        writerThread = Thread.currentThread();
        try {
            producer.send(new ProducerRecord<>(topic, null, millis > 0 ? millis : null, key, d.line()), onAck);
        } catch (RuntimeException e) {
            throw new IOException(KafkaErrors.describe(e, settings, topic), e);
        }
        // The producer reports some refusals through the callback before send() returns (the buffer still full
        // after max.block.ms, no metadata for the topic in time, a record over max.request.size): this document
        // was not taken, so it is this write's error, not a delivery failure.
        Exception refused = refusedNow;
        if (refused != null) {
            refusedNow = null;
            throw new IOException(KafkaErrors.describe(refused, settings, topic), refused);
        }
        sent.incrementAndGet();
    }

    /** Reports deliveries that failed since the last report as one error (the base class logs it, rate-limited). */
    @Override
    protected void flush() throws IOException {
        long failed = undelivered.get();
        long before = undeliveredReported.getAndSet(failed);
        if (failed > before) {
            throw new IOException((failed - before) + " documents not delivered: " + lastFailure.get());
        }
    }

    @Override
    protected void closeOutput() {
        watchdog.shutdownNow();
        // Gives the brokers a bounded time for what is buffered; what is left fails its callbacks (counted).
        producer.close(Duration.ofSeconds(5));
        long left = sent.get() - acked.get() - undelivered.get();
        LOG.log(System.Logger.Level.INFO, name() + ": closed: acknowledged=" + acked.get() + " undelivered="
                + undelivered.get() + (left > 0 ? " unconfirmed=" + left : ""));
    }

    /** Documents the brokers acknowledged. */
    public long acknowledged() {
        return acked.get();
    }

    /** Documents handed to the producer that it then failed to deliver (refused, or timed out). */
    public long undelivered() {
        return undelivered.get();
    }

    /** Documents in the producer's buffer, sent but not yet acknowledged or failed. */
    public long inFlight() {
        return Math.max(0, sent.get() - acked.get() - undelivered.get());
    }

    private void onCompletion(RecordMetadata metadata, Exception e) {
        if (e != null && Thread.currentThread() == writerThread) {
            refusedNow = e; // inside send(): see write()
            return;
        }
        if (e == null) {
            acked.incrementAndGet();
            lastAckNanos = System.nanoTime();
        } else {
            undelivered.incrementAndGet();
            lastFailure.set(KafkaErrors.describe(e, settings, metadata == null ? "?" : metadata.topic()));
        }
    }

    /** Logs once when deliveries stall with records waiting, and once when they resume. */
    private void watch() {
        long waiting = inFlight();
        long idle = System.nanoTime() - lastAckNanos;
        if (!stalled && waiting > 0 && idle > STALL_NANOS) {
            stalled = true;
            LOG.log(System.Logger.Level.WARNING, name() + ": no acknowledgement from the brokers for "
                    + TimeUnit.NANOSECONDS.toSeconds(idle) + " s, " + waiting + " documents waiting in the producer"
                    + " (buffer.memory=" + settings.bufferBytes() + " bytes, retried for delivery.timeout.ms="
                    + settings.deliveryTimeout().toMillis() + "): are the brokers " + settings.bootstrapServers()
                    + " down or unreachable?");
        } else if (stalled && (waiting == 0 || idle < STALL_NANOS)) {
            stalled = false;
            LOG.log(System.Logger.Level.INFO, name() + ": the brokers acknowledge again; " + waiting
                    + " documents still waiting");
        }
    }

    /** At start, one look at the brokers and topics, so that a wrong setting is one clear line at once. */
    private void probe() {
        String problem = KafkaProbe.check(settings, topics.values());
        if (problem != null) {
            LOG.log(System.Logger.Level.WARNING, name() + ": " + problem);
        } else {
            LOG.log(System.Logger.Level.INFO, name() + ": connected; topics " + topics.values() + " exist");
        }
    }
}
