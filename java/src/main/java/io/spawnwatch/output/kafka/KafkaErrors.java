package io.spawnwatch.output.kafka;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Kafka's exceptions as one line an operator can act on: what failed, for which brokers, topic or setting, and
 * what to check. Kafka's own text follows after a colon.
 */
public final class KafkaErrors {
    private KafkaErrors() {}

    public static String describe(Throwable e, KafkaOutputSettings s, String topic) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String kafka = t.getMessage() == null ? "no detail from Kafka" : t.getMessage();
        if (t instanceof SaslAuthenticationException) {
            return "authentication failed at " + s.bootstrapServers() + " (" + s.origin() + ".sasl: mechanism "
                    + (s.sasl() == null ? "?" : s.sasl().mechanism() + ", username " + s.sasl().username())
                    + "): check the username and password_file: " + kafka;
        }
        if (t instanceof SslAuthenticationException) {
            return "TLS handshake failed with " + s.bootstrapServers() + " (" + s.origin()
                    + ".tls: check ca_file, client_pem_file and verify_hostname): " + kafka;
        }
        if (t instanceof AuthenticationException) {
            return "authentication failed at " + s.bootstrapServers() + " (" + s.origin() + "): " + kafka;
        }
        if (t instanceof TopicAuthorizationException) {
            return "not allowed to write topic " + topic + " at " + s.bootstrapServers()
                    + ": grant this principal WRITE (and IDEMPOTENT_WRITE on the cluster): " + kafka;
        }
        if (t instanceof AuthorizationException) {
            return "not authorised at " + s.bootstrapServers() + ": " + kafka;
        }
        if (t instanceof UnknownTopicOrPartitionException) {
            return "topic " + topic + " does not exist at " + s.bootstrapServers() + ": create it or set "
                    + s.origin() + ".topics: " + kafka;
        }
        if (t instanceof RecordTooLargeException) {
            return "a document is larger than the brokers accept for " + topic + " (max.request.size or the"
                    + " topic's max.message.bytes): " + kafka;
        }
        if (t instanceof BufferExhaustedException) {
            return "the producer's buffer (" + s.origin() + ".buffer_bytes=" + s.bufferBytes() + ") stayed full for "
                    + s.origin() + ".max_block=" + s.maxBlock().toMillis() + " ms: brokers " + s.bootstrapServers()
                    + " down or too slow; the document is counted as an error: " + kafka;
        }
        if (t instanceof TimeoutException) {
            // Also what a missing topic looks like to a producer: metadata for it never comes.
            return "no answer from " + s.bootstrapServers() + " for topic " + topic
                    + " in time (brokers down or unreachable, or the topic does not exist): " + kafka;
        }
        return "writing " + topic + " at " + s.bootstrapServers() + " failed: " + kafka;
    }
}
