package io.spawnwatch.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The probe twins against the chains, from the ELF objects `make` built; then probing in the real kernel. */
class HookChainsTest {
    private static final Path BPF = Path.of(System.getProperty("spawnwatch.build.dir", "build"), "bpf");

    /** Program name to section, for every function symbol of a BPF object (readelf -sW and -SW). */
    private static Map<String, String> programs(Path object) throws Exception {
        Map<Integer, String> sections = new HashMap<>();
        for (String line : readelf("-SW", object)) {
            var m = java.util.regex.Pattern.compile("^\\s*\\[\\s*(\\d+)\\]\\s+(\\S+)").matcher(line);
            if (m.find()) {
                sections.put(Integer.parseInt(m.group(1)), m.group(2));
            }
        }
        Map<String, String> out = new TreeMap<>();
        for (String line : readelf("-sW", object)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 8 && f[3].equals("FUNC") && f[4].equals("GLOBAL")) {
                out.put(f[7], sections.get(Integer.parseInt(f[6])));
            }
        }
        return out;
    }

    private static List<String> readelf(String option, Path object) throws IOException, InterruptedException {
        assertTrue(Files.exists(object), object + " missing: run make " + object);
        Process p = new ProcessBuilder("readelf", option, object.toString()).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertEquals(0, p.waitFor(), String.join("\n", lines));
        return lines;
    }

    @Test
    void shouldHaveOneProbeTwinWithTheSameSectionForEveryCandidateAndNoOther() throws Exception {
        Map<String, String> main = programs(BPF.resolve("spawnwatch.bpf.o"));
        Map<String, String> probes = programs(BPF.resolve("probes.bpf.o"));
        Map<String, String> expected = new TreeMap<>();
        for (HookChains.Chain chain : HookChains.ALL) {
            for (HookChains.Candidate c : chain.candidates()) {
                String section = main.get(c.program());
                assertEquals(c.hook(), section, c.program() + "'s section in spawnwatch.bpf.o is its hook");
                expected.put(c.probeProgram(), section);
            }
        }
        assertEquals(expected, probes, "bpf/probes.bpf.c holds exactly one twin per candidate");
    }

    @Test
    @Tag("kernel")
    void shouldPassOverACandidateThatLoadsButCannotAttach() throws Exception {
        KernelTestSupport.requireKernel();
        byte[] elf = Files.readAllBytes(BPF.resolve("probes.bpf.o"));
        // On this kernel kprobe programs load but cannot attach (no CONFIG_KPROBES): the bug this replaces
        // loaded such a winner into the real object and lost the fallbacks after it.
        HookChains.Chain chain = new HookChains.Chain("connect", List.of(HookChains.CONNECT.candidates().get(2),
                HookChains.CONNECT.candidates().get(3)));
        HookChains.Choice choice = HookChains.choose(elf, chain);
        assertEquals("tracepoint/sock/inet_sock_set_state", choice.winner().hook());
        assertEquals(1, choice.losers().size());
        assertEquals("attach failed: ENOENT (No such file or directory), no kprobe support (CONFIG_KPROBES)",
                choice.losers().get(0).reason());

        HookChains.Choice none = HookChains.choose(elf, new HookChains.Chain("connect",
                List.of(HookChains.CONNECT.candidates().get(2))));
        assertNull(none.winner());
    }
}
