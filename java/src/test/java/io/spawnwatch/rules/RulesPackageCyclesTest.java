package io.spawnwatch.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The rules packages depend on each other one way only, read from the sources' references. */
class RulesPackageCyclesTest {
    private static final Path SOURCES = Path.of("src/main/java/io/spawnwatch/rules");
    private static final Pattern REFERENCE = Pattern.compile("io\\.spawnwatch\\.rules(\\.[a-z]+)?\\.[A-Z]");

    private static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path f : files) {
            String pkg = "rules" + SOURCES.relativize(f.getParent()).toString().replace('/', '.');
            pkg = pkg.equals("rules") ? pkg : pkg.replaceFirst("^rules", "rules.");
            Set<String> out = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
            Matcher m = REFERENCE.matcher(Files.readString(f));
            while (m.find()) {
                String target = "rules" + (m.group(1) == null ? "" : m.group(1));
                if (!target.equals(pkg)) {
                    out.add(target);
                }
            }
        }
        return deps;
    }

    @Test
    void shouldHaveNoCycleBetweenTheRulesPackages() throws IOException {
        Map<String, Set<String>> deps = graph();
        assertTrue(deps.containsKey("rules.model") && deps.containsKey("rules.sigma"), deps.toString());
        List<String> cycles = new ArrayList<>();
        for (String start : deps.keySet()) {
            if (reaches(deps, start, start, new TreeSet<>())) {
                cycles.add(start);
            }
        }
        assertEquals(List.of(), cycles, "packages on a cycle; dependencies: " + deps);
        assertEquals(Set.of("rules.match"), deps.get("rules.model"), "the model depends on no other rules package"
                + " but the matchers' CidrSet");
    }

    private static boolean reaches(Map<String, Set<String>> deps, String from, String target, Set<String> seen) {
        for (String next : deps.getOrDefault(from, Set.of())) {
            if (next.equals(target) || (seen.add(next) && reaches(deps, next, target, seen))) {
                return true;
            }
        }
        return false;
    }
}
