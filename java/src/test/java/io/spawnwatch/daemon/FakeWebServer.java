package io.spawnwatch.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A "web server" made of a symlink to bash under a web-server name: the
 * kernel sees comm = the link's name, exactly as for the real program.
 * Lives in a fresh directory under /tmp, which also holds a payload binary
 * (a copy of /bin/true) to run "from /tmp".
 */
final class FakeWebServer implements AutoCloseable {
    final Path dir;
    final Path server;
    final Path payload;

    FakeWebServer(String name) throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "sw-it-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        server = dir.resolve(name);
        Files.createSymbolicLink(server, Path.of("/bin/bash"));
        payload = dir.resolve("payload");
        Files.copy(Path.of("/bin/true"), payload, StandardCopyOption.COPY_ATTRIBUTES);
    }

    /**
     * Runs {@code script} with bash under the web-server name and waits for it;
     * {@code args} follow the script on the command line ($0, $1...).
     */
    int run(String script, String... args) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(server.toString(), "-c", script));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("fake web server did not finish: " + script);
        }
        return p.exitValue();
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(payload);
        Files.deleteIfExists(server);
        Files.deleteIfExists(dir);
    }
}
