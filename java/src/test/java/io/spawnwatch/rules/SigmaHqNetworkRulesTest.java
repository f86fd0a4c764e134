package io.spawnwatch.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spawnwatch.event.EventView;
import io.spawnwatch.rules.model.DetectionConfig;
import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.event.Field;
import io.spawnwatch.rules.engine.RuleSetCompiler;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SigmaHQ's five Linux network_connection rules (test resources, DRL 1.1, see
 * sigmahq/NOTICE.md) load unchanged, and each matches the event its own
 * description names, shaped as the sensor reports it: DNS queries carry
 * DestinationHostname, TCP connects DestinationIp and DestinationPort.
 */
class SigmaHqNetworkRulesTest {
    private static List<String> matching(List<io.spawnwatch.rules.sigma.SigmaRule> rules, EventView e) {
        return rules.stream().filter(r -> r.metadata().eventType() == e.type() && r.detection().matches(e))
                .map(r -> r.metadata().title()).sorted().toList();
    }

    private static TestEvent dnsQuery(String name) {
        return TestEvent.connect().set(Field.PROTOCOL, "udp").set(Field.PROCESS_NAME, "ngrok")
                .set(Field.IMAGE, "/tmp/ngrok").set(Field.DESTINATION_IP, "10.0.0.2").set(Field.DESTINATION_PORT, 53)
                .set(Field.DESTINATION_HOSTNAME, name).set(Field.DNS_QUERY_TYPE, "A");
    }

    @Test
    void shouldLoadEveryRuleAndMatchTheEventsTheyDescribe() throws Exception {
        Path dir = Path.of(getClass().getResource("/sigmahq/linux/network_connection").toURI());
        RuleSetCompiler.Result r = RuleSetCompiler.compile(RuleSource.of(List.of(dir)), DetectionConfig.defaults());
        assertEquals(List.of(), r.errors().stream().map(RuleError::format).toList());
        assertEquals(5, r.rules().size());
        var rules = r.rules();

        assertEquals(List.of("Communication To Ngrok Tunneling Service - Linux"),
                matching(rules, dnsQuery("tunnel.us.ngrok.com")));
        assertEquals(List.of("Communication To LocaltoNet Tunneling Service Initiated - Linux"),
                matching(rules, dnsQuery("abc123.localto.net")));
        assertEquals(List.of("Linux Crypto Mining Pool Connections"), matching(rules, dnsQuery("pool.minexmr.com")));
        assertEquals(List.of("Linux Reverse Shell Indicator"), matching(rules, TestEvent.connect()
                .set(Field.IMAGE, "/usr/bin/bash").set(Field.DESTINATION_IP, "203.0.113.7")
                .set(Field.DESTINATION_PORT, 443)));
        assertEquals(List.of("Potentially Suspicious Malware Callback Communication - Linux"), matching(rules,
                TestEvent.connect().set(Field.IMAGE, "/tmp/.x").set(Field.DESTINATION_IP, "203.0.113.7")
                        .set(Field.DESTINATION_PORT, 4444)));
        // Their negatives: an ordinary name, loopback.
        assertEquals(List.of(), matching(rules, dnsQuery("deb.debian.org")));
        assertEquals(List.of(), matching(rules, TestEvent.connect().set(Field.IMAGE, "/usr/bin/bash")
                .set(Field.DESTINATION_IP, "127.0.0.1").set(Field.DESTINATION_PORT, 4444)));
    }
}
