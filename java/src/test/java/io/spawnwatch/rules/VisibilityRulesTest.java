package io.spawnwatch.rules;

import static io.spawnwatch.rules.BuiltinRuleFixture.matching;
import static io.spawnwatch.rules.BuiltinRuleFixture.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.sigma.SigmaRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Positive and negative events for the file, UDP/DNS, privilege and fileless
 * rules, shaped as the sensor reports them on Debian 12 with php-fpm.
 */
class VisibilityRulesTest {
    static final String PAYLOAD = "Payload Written to a Writable Directory by the Web Lineage";
    static final String EXEC_BIT = "Execute Permission Set in a Writable Directory by the Web Lineage";
    static final String PERSISTENCE = "Persistence File Written by the Web Lineage";
    static final String WEB_ROOT = "New Script in a Web Root Written by the Web Server";
    static final String UDP_DNS = "UDP or DNS-Tunnel Callback from the Web Lineage";
    static final String ROOT_BY_EXEC = "Web Server Lineage Gains Root by Exec";
    static final String ROOT_BY_CALL = "Web Server Lineage Gains Root or Capabilities by a Call";
    static final String FILELESS = "Fileless Execution in the Web Lineage";

    @Test
    void shouldAlertOnAPayloadDroppedByPhpButNotOnItsSessionsUploadsOrLogs() {
        assertEquals(List.of(PAYLOAD), matching(TestEvent.phpFpmWrite("/tmp/.x", "creation", "writable")));
        assertEquals(List.of(PAYLOAD), matching(TestEvent.phpFpmWrite("/dev/shm/k", "truncate", "writable")));
        assertEquals(List.of(PAYLOAD), matching(TestEvent.phpFpmWrite("/var/tmp/a.elf", "rename", "writable")));
        // curl in the shell drops one too: not a web-server process, so no filter applies.
        assertEquals(List.of(PAYLOAD), matching(TestEvent.phpFpmWrite("/tmp/sess_0123456789abcdefghijklmnop",
                "creation", "writable").set(Field.PROCESS_NAME, "curl").set(Field.IMAGE, "/usr/bin/curl")
                .set(Field.LINEAGE_DEPTH, 3)));

        assertEquals(List.of(), matching(TestEvent.phpFpmWrite("/tmp/sess_q1v9kdkq0n3l0r5o9p3i4j2s0c",
                "creation", "writable")));
        assertEquals(List.of(), matching(TestEvent.phpFpmWrite("/tmp/phpA1b2C3", "creation", "writable")));
        assertEquals(List.of(), matching(TestEvent.phpFpmWrite("/tmp/php-fpm-www.log", "write", "writable")));
        assertEquals(List.of(), matching(TestEvent.phpFpmWrite("/var/tmp/nginx/body/0000000001", "creation",
                "writable").set(Field.PROCESS_NAME, "nginx").set(Field.IMAGE, "/usr/sbin/nginx")));
        // The web server itself at depth 0 is outside the lineage rules.
        assertEquals(List.of(), matching(TestEvent.phpFpmWrite("/tmp/.x", "creation", "writable")
                .set(Field.LINEAGE_DEPTH, 0)));
    }

    @Test
    void shouldAlertOnChmodPlusXInAWritableDirectoryOnly() {
        SigmaRule rule = rule(EXEC_BIT);
        assertTrue(rule.detection().matches(TestEvent.phpFpmWrite("/tmp/.x", "chmod", "writable")
                .set(Field.FILE_MODE, 0755)));
        assertFalse(rule.detection().matches(TestEvent.phpFpmWrite("/tmp/.x", "creation", "writable")));
        assertFalse(rule.detection().matches(TestEvent.phpFpmWrite("/var/www/html/run.sh", "chmod", "web_root")));
    }

    @Test
    void shouldAlertOnEveryPersistenceWrite() {
        for (String path : List.of("/etc/cron.d/x", "/var/www/.ssh/authorized_keys", "/etc/systemd/system/x.service",
                "/etc/ld.so.preload", "/root/.bashrc")) {
            assertEquals(List.of(PERSISTENCE), matching(TestEvent.phpFpmWrite(path, "creation", "persistence")),
                    path);
        }
        assertEquals(List.of(PERSISTENCE), matching(TestEvent.phpFpmWrite("/var/www/.ssh/authorized_keys", "write",
                "persistence")));
        assertFalse(rule(PERSISTENCE).detection().matches(TestEvent.phpFpmWrite("/etc/cron.d/x", "creation",
                "persistence").set(Field.LINEAGE_DEPTH, 0)));
    }

    @Test
    void shouldAlertOnANewScriptInAWebRootAndNotOnOtherClasses() {
        assertEquals(List.of(WEB_ROOT), matching(TestEvent.phpFpmWrite("/var/www/html/up/s.php", "creation",
                "web_root")));
        assertEquals(List.of(WEB_ROOT), matching(TestEvent.phpFpmWrite("/var/www/html/s.phtml", "rename",
                "web_root")));
        assertFalse(rule(WEB_ROOT).detection().matches(TestEvent.phpFpmWrite("/tmp/s.php", "creation", "writable")));
        // A compiled-template cache written by PHP itself; the same file written by a shell still alerts.
        TestEvent cache = TestEvent.phpFpmWrite("/var/www/html/wp-content/cache/c.php", "creation", "web_root");
        assertFalse(rule(WEB_ROOT).detection().matches(cache));
        assertTrue(rule(WEB_ROOT).detection().matches(cache.set(Field.PROCESS_NAME, "sh")));
    }

    private static TestEvent udp(String ip, long port) {
        return TestEvent.connect().set(Field.PROTOCOL, "udp").set(Field.PROCESS_NAME, "bash")
                .set(Field.IMAGE, "/usr/bin/bash").set(Field.LINEAGE_DEPTH, 2).set(Field.DESTINATION_IP, ip)
                .set(Field.DESTINATION_PORT, port);
    }

    private static TestEvent dns(String name, String type) {
        return udp("10.0.0.2", 53).set(Field.PROCESS_NAME, "python3").set(Field.IMAGE, "/usr/bin/python3.11")
                .set(Field.DESTINATION_HOSTNAME, name).set(Field.DNS_QUERY_TYPE, type);
    }

    @Test
    void shouldAlertOnAUdpReverseShellToAnExternalAddress() {
        SigmaRule rule = rule(UDP_DNS);
        assertTrue(rule.detection().matches(udp("93.184.216.34", 5353)));
        assertTrue(rule.detection().matches(udp("2001:db8::1", 4444)));
        assertFalse(rule.detection().matches(udp("93.184.216.34", 53)));
        assertFalse(rule.detection().matches(udp("93.184.216.34", 123)));
        assertFalse(rule.detection().matches(udp("10.0.0.8", 5353)));
        assertFalse(rule.detection().matches(udp("127.0.0.1", 5353)));
        assertFalse(rule.detection().matches(udp("93.184.216.34", 5353).set(Field.LINEAGE_DEPTH, 0)));
        // TCP is the other network rule's business.
        assertFalse(rule.detection().matches(udp("93.184.216.34", 5353).set(Field.PROTOCOL, "tcp")));
    }

    @Test
    void shouldAlertOnTunnelShapedDnsQueriesOnly() {
        SigmaRule rule = rule(UDP_DNS);
        assertTrue(rule.detection().matches(dns("MZXW6YTBOI2DKNRXHA4TAMJSGM2DKNRXHA4TAMJSGM.t.example.com", "A")));
        assertTrue(rule.detection().matches(dns("x.t.example.com", "TXT")));
        assertTrue(rule.detection().matches(dns("x.t.example.com", "NULL")));
        assertFalse(rule.detection().matches(dns("api.stripe.com", "A")));
        assertFalse(rule.detection().matches(dns("deb.debian.org", "AAAA")));
    }

    @Test
    void shouldAlertWhenASetuidExecGivesTheLineageRoot() {
        TestEvent sudo = TestEvent.phpFpmGrandchild("/usr/bin/sudo", "sudo", "sudo -n id")
                .set(Field.EFFECTIVE_USER_ID, 0);
        assertTrue(rule(ROOT_BY_EXEC).detection().matches(sudo));
        assertFalse(rule(ROOT_BY_EXEC).detection().matches(TestEvent.phpFpmGrandchild("/usr/bin/id", "id", "id")
                .set(Field.EFFECTIVE_USER_ID, 33)));
        // A web server running as root: root all along.
        assertFalse(rule(ROOT_BY_EXEC).detection().matches(TestEvent.phpFpmGrandchild("/usr/bin/id", "id", "id")
                .set(Field.USER_ID, 0).set(Field.REAL_USER_ID, 0).set(Field.EFFECTIVE_USER_ID, 0)));
    }

    @Test
    void shouldAlertWhenACallGivesTheLineageRoot() {
        TestEvent call = TestEvent.privilege().set(Field.PROCESS_NAME, "python3").set(Field.LINEAGE_DEPTH, 2)
                .set(Field.PRIVILEGE_CALL, "setresuid").set(Field.EFFECTIVE_USER_ID, 0)
                .set(Field.PREVIOUS_EFFECTIVE_USER_ID, 33);
        assertEquals(List.of(ROOT_BY_CALL), matching(call));
        assertFalse(rule(ROOT_BY_CALL).detection().matches(TestEvent.privilege().set(Field.LINEAGE_DEPTH, 0)
                .set(Field.PRIVILEGE_CALL, "setresuid")));
    }

    @Test
    void shouldAlertOnMemfdAndDeletedExecutablesInTheLineage() {
        assertTrue(rule(FILELESS).detection().matches(TestEvent.phpFpmGrandchild("/memfd:evil (deleted)", "3",
                "evil")));
        assertTrue(rule(FILELESS).detection().matches(TestEvent.phpFpmGrandchild("/tmp/.x (deleted)", ".x", ".x")));
        assertFalse(rule(FILELESS).detection().matches(TestEvent.phpFpmGrandchild("/usr/bin/id", "id", "id")));
        assertFalse(rule(FILELESS).detection().matches(TestEvent.exec().set(Field.IMAGE, "/memfd:jit (deleted)")
                .set(Field.LINEAGE_DEPTH, 0)));
    }
}
