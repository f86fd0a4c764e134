package io.spawnwatch.incident;

import static io.spawnwatch.incident.Docs.SECOND;
import static io.spawnwatch.incident.Docs.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spawnwatch.incident.tree.IncidentTree;
import io.spawnwatch.incident.tree.ProcessNode;
import io.spawnwatch.incident.tree.TreeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How documents become a tree: parents, entity ids, exec in place, other event categories, lone alerts. */
class TreeBuilderTest {
    private static final ObjectNode SUMMARY = Docs.JSON.createObjectNode().put("id", 1).put("root_pid", 100)
            .put("root_name", "nginx").put("root_executable", "/usr/sbin/nginx");

    private static ObjectNode entity(ObjectNode d, String self, String parent) {
        ObjectNode p = (ObjectNode) d.path("process");
        p.put("entity_id", self);
        ((ObjectNode) p.path("parent")).put("entity_id", parent);
        return d;
    }

    @Test
    void shouldHangProcessesUnderTheirParentsInTimeOrderWhateverTheStoredOrder() {
        ObjectNode child = Docs.exec(T0 + 2 * SECOND, 100, 301, 300, "id", "id");
        ObjectNode sh = Docs.exec(T0 + SECOND, 100, 300, 100, "sh", "sh", "-c", "id");
        IncidentTree t = TreeBuilder.build(SUMMARY, List.of(child, sh)); // the look-back arrives late
        ProcessNode root = t.root();
        assertEquals("nginx", root.name());
        assertEquals(List.of("sh"), root.children().stream().map(ProcessNode::name).toList());
        assertEquals("id", root.children().getFirst().children().getFirst().name());
        assertEquals(List.of(1), root.children().getFirst().documents());
    }

    @Test
    void shouldPreferEntityIdsOverPidsWhenTheDocumentsCarryThem() {
        // Two processes with the same pid (reuse): the entity ids tell which one is the parent.
        ObjectNode first = entity(Docs.exec(T0, 100, 300, 100, "sh", "sh", "-c", "a"), "E1", "E0");
        ObjectNode second = entity(Docs.exec(T0 + SECOND, 100, 300, 100, "sh", "sh", "-c", "b"), "E2", "E0");
        ObjectNode child = entity(Docs.exec(T0 + 2 * SECOND, 100, 301, 300, "id", "id"), "E3", "E1");
        IncidentTree t = TreeBuilder.build(SUMMARY, List.of(first, second, child));
        ProcessNode a = t.nodes().stream().filter(n -> "E1".equals(n.entityId())).findFirst().orElseThrow();
        assertEquals(List.of("E3"), a.children().stream().map(ProcessNode::entityId).toList());
    }

    @Test
    void shouldShowAnExecInPlaceUnderTheProcessItReplaced() {
        ObjectNode sh = Docs.exec(T0, 100, 300, 100, "sh", "sh", "-c", "exec python3 x.py");
        ObjectNode python = Docs.exec(T0 + SECOND, 100, 300, 100, "python3", "python3", "x.py");
        IncidentTree t = TreeBuilder.build(SUMMARY, List.of(sh, python));
        ProcessNode shNode = t.root().children().getFirst();
        assertEquals("exec_in_place", shNode.children().getFirst().role());
        assertEquals("python3", shNode.children().getFirst().name());
    }

    @Test
    void shouldPutFileAndDnsEventsUnderTheProcessThatMadeThem() {
        ObjectNode sh = Docs.exec(T0, 100, 300, 100, "sh", "sh");
        ObjectNode file = Docs.exec(T0 + SECOND, 100, 300, 100, "sh");
        ((ObjectNode) file.path("event")).putArray("category").add("file");
        ((ObjectNode) file.path("event")).put("action", "creation");
        file.putObject("file").put("path", "/tmp/x");
        ObjectNode dns = Docs.exec(T0 + 2 * SECOND, 100, 300, 100, "sh");
        ((ObjectNode) dns.path("event")).putArray("category").add("network");
        ((ObjectNode) dns.path("event")).put("action", "dns_query");
        dns.putObject("dns").putObject("question").put("name", "c2.example");
        IncidentTree t = TreeBuilder.build(SUMMARY, List.of(sh, file, dns));
        ProcessNode shNode = t.root().children().getFirst();
        assertEquals(List.of("/tmp/x", "dns c2.example"),
                shNode.activities().stream().map(a -> a.summary()).toList());
        assertEquals(List.of("file", "network"), shNode.activities().stream().map(a -> a.category()).toList());
    }

    @Test
    void shouldPlaceAnAlertWhoseEventWasNotKeptAndMarkItOnItsProcess() {
        ObjectNode sh = Docs.exec(T0, 100, 300, 101, "sh", "sh", "-c", "id");
        ((ObjectNode) sh.path("process").path("parent")).put("name", "php-fpm8.2")
                .put("command_line", "php-fpm: pool www");
        List<JsonNode> docs = List.of(Docs.alert(sh, "r", "Rule", 73));
        IncidentTree t = TreeBuilder.build(SUMMARY, docs);
        ProcessNode worker = t.root().children().getFirst();
        assertEquals("parent", worker.role());
        assertEquals("php-fpm: pool www", worker.commandLine());
        ProcessNode shNode = worker.children().getFirst();
        assertEquals(1, shNode.alerts().size());
        assertEquals("high", shNode.alerts().getFirst().level());
        assertEquals(List.of("TA0002 Execution"), shNode.alerts().getFirst().tactics());
        assertEquals(List.of("T1059 Command and Scripting Interpreter"), shNode.alerts().getFirst().techniques());
    }
}
