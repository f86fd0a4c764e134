package io.spawnwatch.daemon;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's apache2 with mod_cgi (prefork), on a loopback port, with its own
 * minimal configuration and a CGI shell script in a temporary directory.
 */
final class RealApache implements AutoCloseable {
    static final Path APACHE = Path.of("/usr/sbin/apache2");
    static final Path MODULES = Path.of("/usr/lib/apache2/modules");

    final Path dir;
    final int port;
    private final Process apache;

    RealApache(String cgiName, String cgiBody) throws IOException, InterruptedException {
        if (!Files.isExecutable(APACHE)) {
            throw new AssertionError(APACHE + " is missing: install apache2 (.ci/setup-host does)");
        }
        dir = Files.createTempDirectory(Path.of("/tmp"), "sw-apache-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        port = RealWebServers.freePort();
        Path cgiBin = Files.createDirectory(dir.resolve("cgi-bin"));
        Files.createDirectory(dir.resolve("www"));
        Path cgi = Files.writeString(cgiBin.resolve(cgiName), "#!/bin/sh\necho 'Content-Type: text/plain'\necho\n"
                + cgiBody + "\n");
        Files.setPosixFilePermissions(cgi, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("apache2.conf"), """
                LoadModule mpm_prefork_module %2$s/mod_mpm_prefork.so
                LoadModule authz_core_module %2$s/mod_authz_core.so
                LoadModule alias_module %2$s/mod_alias.so
                LoadModule cgi_module %2$s/mod_cgi.so
                ServerName localhost
                PidFile %1$s/apache2.pid
                Mutex file:%1$s
                Listen 127.0.0.1:%3$d
                ErrorLog %1$s/error.log
                User www-data
                Group www-data
                DocumentRoot %1$s/www
                ScriptAlias /cgi-bin/ %1$s/cgi-bin/
                <Directory %1$s/cgi-bin>
                    Require all granted
                    Options +ExecCGI
                </Directory>
                """.formatted(dir, MODULES, port));
        // In a session of its own: on stop, prefork apache signals its whole
        // process group, which would otherwise be this JVM, Maven and make.
        apache = new ProcessBuilder("setsid", APACHE.toString(), "-f", dir.resolve("apache2.conf").toString(), "-DFOREGROUND")
                .redirectErrorStream(true).redirectOutput(dir.resolve("apache2.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!RealWebServers.listening(port)) {
            if (System.nanoTime() > deadline || !apache.isAlive()) {
                throw new AssertionError("apache2 not ready: " + Files.readString(dir.resolve("apache2.out")));
            }
            Thread.sleep(50);
        }
    }

    long pid() {
        return apache.pid();
    }

    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        apache.destroy();
        if (!apache.waitFor(10, TimeUnit.SECONDS)) {
            apache.destroyForcibly();
        }
        RealWebServers.deleteTree(dir);
    }
}
