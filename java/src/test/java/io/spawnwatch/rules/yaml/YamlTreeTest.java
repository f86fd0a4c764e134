package io.spawnwatch.rules.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule and exception files' YAML reader, on jackson-dataformat-yaml: lines, source text, refusals. */
class YamlTreeTest {
    @Test
    void shouldKeepLinesAndSourceTextOfEveryDocument() {
        List<Node> docs = YamlTree.parseAll("""
                title: a
                detection:
                    sel:
                        Flag: no
                        Port: 0x50
                        Empty:
                        Tilde: ~
                        Quoted: '~'
                    list: [x, 'y']
                ---
                title: b
                """);
        assertEquals(2, docs.size());
        Map<String, NodeTuple> top = YamlTree.entries(YamlTree.mapping(docs.get(0), "rule"), "rule");
        assertEquals("a", YamlTree.text(top.get("title").getValueNode(), "title"));
        Map<String, NodeTuple> detection = YamlTree.entries(YamlTree.mapping(top.get("detection").getValueNode(),
                "detection"), "detection");
        Map<String, NodeTuple> sel = YamlTree.entries(YamlTree.mapping(detection.get("sel").getValueNode(), "sel"),
                "sel");
        assertEquals("no", YamlTree.text(sel.get("Flag").getValueNode(), "Flag"), "YAML 1.1 booleans stay text");
        assertEquals("0x50", YamlTree.text(sel.get("Port").getValueNode(), "Port"));
        assertEquals(4, sel.get("Flag").getKeyNode().line());
        assertEquals(5, YamlTree.line(sel.get("Port").getValueNode()));
        assertTrue(YamlTree.isNull(sel.get("Empty").getValueNode()));
        assertTrue(YamlTree.isNull(sel.get("Tilde").getValueNode()));
        assertEquals("~", YamlTree.text(sel.get("Quoted").getValueNode(), "Quoted"));
        assertEquals(List.of("x", "y"), YamlTree.texts(detection.get("list").getValueNode(), "list"));
        assertEquals(11, YamlTree.line(docs.get(1)));
    }

    @Test
    void shouldRefuseDuplicateKeysAliasesAndBrokenSyntaxNamingTheLine() {
        YamlException dup = assertThrows(YamlException.class, () -> YamlTree.entries(YamlTree.mapping(
                YamlTree.parseAll("a: 1\nb: 2\na: 3\n").get(0), "rule"), "rule"));
        assertEquals("rule: duplicate key 'a'", dup.getMessage());
        assertEquals(3, dup.line());
        YamlException alias = assertThrows(YamlException.class,
                () -> YamlTree.parseAll("a: &x [1, 2]\nb: *x\n"));
        assertTrue(alias.getMessage().contains("YAML anchors and aliases (&name, *name) are not supported"),
                alias.getMessage());
        YamlException syntax = assertThrows(YamlException.class, () -> YamlTree.parseAll("title: [\n"));
        assertEquals("YAML syntax: expected the node content, but found '<stream end>'", syntax.getMessage());
        assertEquals(2, syntax.line());
    }
}
