package io.spawnwatch.output.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * One look at the brokers when the Kafka output starts: can they be reached with these credentials, and do the
 * topics exist? A producer alone would only retry quietly (a missing topic looks like a slow broker to it).
 */
final class KafkaProbe {
    private static final long MAX_TIMEOUT_MILLIS = 15_000;

    private KafkaProbe() {}

    private static String noAnswer(KafkaOutputSettings s, long timeout) {
        return "no answer from " + s.bootstrapServers() + " in " + timeout + " ms (" + s.origin()
                + ".bootstrap_servers): brokers down or unreachable? documents are buffered (buffer.memory="
                + s.bufferBytes() + " bytes) and retried for delivery.timeout.ms=" + s.deliveryTimeout().toMillis();
    }

    /** Null when all is well, else one line saying what is wrong. */
    static String check(KafkaOutputSettings s, Collection<String> topics) {
        // The writer waits max.block.ms for a broker; the probe need not wait longer to say so.
        long timeout = Math.max(1_000, Math.min(MAX_TIMEOUT_MILLIS, s.maxBlock().toMillis()));
        Properties p = new Properties();
        for (Map.Entry<Object, Object> e : s.producerProperties().entrySet()) {
            String k = (String) e.getKey();
            if (AdminClientConfig.configNames().contains(k) && !k.equals(ProducerConfig.CLIENT_ID_CONFIG)) {
                p.put(k, e.getValue());
            }
        }
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, s.clientId() + "-probe");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout / 2);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS);
            List<String> missing = new ArrayList<>();
            for (String t : new TreeSet<>(topics)) {
                if (!existing.contains(t)) {
                    missing.add(t);
                }
            }
            if (!missing.isEmpty()) {
                return "topic" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                        + (missing.size() > 1 ? " do" : " does") + " not exist at " + s.bootstrapServers()
                        + " (or this principal may not describe them): create them or set " + s.origin()
                        + ".topics; documents for them are retried, then counted as undelivered";
            }
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                return noAnswer(s, timeout); // the admin client's own deadline ("waiting for a node assignment")
            }
            return KafkaErrors.describe(e, s, String.join(",", topics));
        } catch (java.util.concurrent.TimeoutException e) {
            return noAnswer(s, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            return "cannot check the brokers: " + e.getMessage();
        }
    }
}
