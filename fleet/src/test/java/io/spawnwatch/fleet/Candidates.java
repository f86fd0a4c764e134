package io.spawnwatch.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Simulated hosts for the fleet job's tests: candidate documents as the sensor's Kafka output sends them (ECS,
 * key = host.id, record time = @timestamp), and a read_committed reader of the job's output topics.
 */
final class Candidates implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Window starts are multiples of 61 minutes since the epoch; tests place their events from one of them. */
    static final long WINDOW_MS = Duration.ofMinutes(61).toMillis();

    private final KafkaProducer<String, byte[]> producer;

    Candidates(String bootstrap) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** The start of a 61-minute window a few hours in the past. */
    static long pastWindowStart() {
        long threeHoursAgo = System.currentTimeMillis() - Duration.ofHours(5).toMillis();
        return threeHoursAgo - threeHoursAgo % WINDOW_MS;
    }

    static byte[] document(long timeMillis, String host, String executable, String workingDirectory,
            String parentExecutable, String commandLine) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("@timestamp", Instant.ofEpochMilli(timeMillis).toString());
        ObjectNode event = doc.putObject("event");
        event.put("kind", "event");
        event.put("dataset", "spawnwatch.fleet_candidate");
        ObjectNode h = doc.putObject("host");
        h.put("id", "id-" + host);
        h.put("name", host);
        doc.putObject("agent").put("id", "agent-" + host);
        ObjectNode p = doc.putObject("process");
        p.put("executable", executable);
        p.put("working_directory", workingDirectory);
        p.put("command_line", commandLine);
        p.putObject("parent").put("executable", parentExecutable);
        return (doc.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    void send(String topic, long timeMillis, String host, String executable, String workingDirectory,
            String parentExecutable, String commandLine) throws Exception {
        producer.send(new ProducerRecord<>(topic, null, timeMillis, "id-" + host,
                document(timeMillis, host, executable, workingDirectory, parentExecutable, commandLine))).get();
    }

    void sendRaw(String topic, long timeMillis, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, null, timeMillis, "garbage", value)).get();
    }

    /** Every committed record of a topic's partition 0, from the start, read until quiet for {@code quiet}. */
    List<JsonNode> readAll(String topic, Duration atMost, Duration quiet, int expectAtLeast) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : FleetJobKafkaTest.broker.read(topic, expectAtLeast, quiet, atMost)) {
            out.add(JSON.readTree(r.value()));
        }
        return out;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
