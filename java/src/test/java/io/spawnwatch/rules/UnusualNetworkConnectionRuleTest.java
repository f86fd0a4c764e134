package io.spawnwatch.rules;

import io.spawnwatch.rules.model.DetectionConfig;
import static io.spawnwatch.rules.BuiltinRuleFixture.SUSPICIOUS_CHILD_EXECUTION;
import static io.spawnwatch.rules.BuiltinRuleFixture.SUSPICIOUS_CHILD_PROCESS;
import static io.spawnwatch.rules.BuiltinRuleFixture.SUSPICIOUS_COMMAND;
import static io.spawnwatch.rules.BuiltinRuleFixture.UNUSUAL_CHILD;
import static io.spawnwatch.rules.BuiltinRuleFixture.UNUSUAL_COMMAND;
import static io.spawnwatch.rules.BuiltinRuleFixture.UNUSUAL_NETWORK;
import static io.spawnwatch.rules.BuiltinRuleFixture.UNUSUAL_PROCESS;
import static io.spawnwatch.rules.BuiltinRuleFixture.matching;
import static io.spawnwatch.rules.BuiltinRuleFixture.loginShellChild;
import static io.spawnwatch.rules.BuiltinRuleFixture.rule;
import static io.spawnwatch.rules.BuiltinRuleFixture.shFromPhp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.sigma.SigmaRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Positive and negative events for one shipped rule, as the Debian 12 sensor reports them. */
class UnusualNetworkConnectionRuleTest {
    private TestEvent from(String comm, String image, String user, long depth, String ip, long port) {
        return TestEvent.connect().set(Field.PROCESS_NAME, comm).set(Field.IMAGE, image).set(Field.USER, user)
                .set(Field.USER_ID, user.equals("www-data") ? 33 : 1000).set(Field.LINEAGE_DEPTH, depth)
                .set(Field.DESTINATION_IP, ip).set(Field.DESTINATION_PORT, port)
                .set(Field.SOURCE_IP, ip.contains(":") ? "::1" : "192.168.1.10").set(Field.SOURCE_PORT, 40000);
    }

    @Test
    void shouldMatchWebServerToExternalAddressOnUnlistedPort() {
        SigmaRule rule = rule(UNUSUAL_NETWORK);
        assertTrue(rule.detection().matches(from("php-fpm8.2", "/usr/sbin/php-fpm8.2", "www-data", 0,
                "93.184.216.34", 4444)));
        assertTrue(rule.detection().matches(from("curl", "/usr/bin/curl", "www-data", 2, "93.184.216.34", 8081)));
        assertTrue(rule.detection().matches(from("x", "/tmp/x", "www-data", 2, "::ffff:93.184.216.34", 9001)));
    }

    @Test
    void shouldMatchShellInLineageToAnyNonLoopbackAddress() {
        SigmaRule rule = rule(UNUSUAL_NETWORK);
        assertTrue(rule.detection().matches(from("sh", "/usr/bin/dash", "www-data", 2, "10.0.0.5", 443)));
        assertFalse(rule.detection().matches(from("sh", "/usr/bin/dash", "www-data", 2, "127.0.0.1", 443)));
    }

    @Test
    void shouldNotMatchAllowedPortsInternalRangesOrOtherUsers() {
        SigmaRule rule = rule(UNUSUAL_NETWORK);
        assertFalse(rule.detection().matches(from("php-fpm8.2", "/usr/sbin/php-fpm8.2", "www-data", 0,
                "93.184.216.34", 443)));
        assertFalse(rule.detection().matches(from("php-fpm8.2", "/usr/sbin/php-fpm8.2", "www-data", 0,
                "127.0.0.1", 3306)));
        assertFalse(rule.detection().matches(from("php-fpm8.2", "/usr/sbin/php-fpm8.2", "www-data", 0,
                "10.1.2.3", 6379)));
        assertFalse(rule.detection().matches(from("php-fpm8.2", "/usr/sbin/php-fpm8.2", "www-data", 0,
                "::ffff:127.0.0.1", 4444)));
        assertFalse(rule.detection().matches(from("curl", "/usr/bin/curl", "alice", 0, "93.184.216.34", 4444)));
    }

    @Test
    void shouldTreatLoopbackAsExternalWhenConfigurationSaysSo() {
        DetectionConfig loopbackExternal = DetectionConfig.defaults()
                .withInternalRanges(List.of("10.0.0.0/8")).withLoopbackRanges(List.of());
        SigmaRule rule = rule(UNUSUAL_NETWORK, loopbackExternal);
        assertTrue(rule.detection().matches(from("nc", "/usr/bin/nc.openbsd", "www-data", 2, "127.0.0.1", 4444)));
        assertFalse(rule.detection().matches(from("php-fpm8.2", "/usr/sbin/php-fpm8.2", "www-data", 0,
                "127.0.0.1", 80)));
    }
}
