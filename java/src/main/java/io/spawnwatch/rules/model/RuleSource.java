package io.spawnwatch.rules.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The text of one rule (or exceptions) file and the name its errors carry.
 * Reading files is separate from compiling them, so a reload reads first and
 * swaps only when everything compiled.
 */
public record RuleSource(String name, String text) {
    /** Where the jar keeps the shipped rules (see java/pom.xml). */
    public static final String BUILTIN_DIR = "io/spawnwatch/rules/builtin/";

    public static RuleSource of(Path file) throws IOException {
        return new RuleSource(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Files as given; directories contribute their *.yml and *.yaml files, sorted by name. */
    public static List<RuleSource> of(List<Path> paths) throws IOException {
        List<RuleSource> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    for (Path f : s.filter(RuleSource::isYaml).sorted().toList()) {
                        out.add(of(f));
                    }
                }
            } else {
                out.add(of(p));
            }
        }
        return out;
    }

    /** The rules shipped in the jar (rules/*.yml of the source tree), sorted by file name. */
    public static List<RuleSource> builtin() throws IOException {
        URL dir = RuleSource.class.getClassLoader().getResource(BUILTIN_DIR);
        if (dir == null) {
            throw new IOException("no built-in rules on the class path at " + BUILTIN_DIR);
        }
        try {
            URI uri = dir.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    return readBuiltin(fs.getPath(BUILTIN_DIR));
                } catch (java.nio.file.FileSystemAlreadyExistsException e) {
                    return readBuiltin(FileSystems.getFileSystem(uri).getPath(BUILTIN_DIR));
                }
            }
            return readBuiltin(Path.of(uri));
        } catch (URISyntaxException e) {
            throw new IOException("bad built-in rules location " + dir, e);
        }
    }

    private static List<RuleSource> readBuiltin(Path dir) throws IOException {
        List<RuleSource> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(RuleSource::isYaml).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    out.add(new RuleSource("builtin:" + f.getFileName(),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }

    private static boolean isYaml(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yml") || n.endsWith(".yaml");
    }
}
