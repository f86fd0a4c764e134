package io.spawnwatch.daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's nginx and php-fpm 8.2, started for one test on a loopback port with
 * their own configuration in a temporary directory, serving a static file,
 * a plain PHP page and a web shell (system($_GET['c'])).
 */
final class RealWebServers implements AutoCloseable {
    static final Path NGINX = Path.of("/usr/sbin/nginx");
    static final Path PHP_FPM = Path.of("/usr/sbin/php-fpm8.2");

    final Path dir;
    final int port;
    private final Process fpm;
    private final Process nginx;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RealWebServers() throws IOException, InterruptedException {
        this("", false);
    }

    /**
     * @param extraPool lines added to php-fpm's [www] pool (php_admin_value[...] = ...), where
     *     {dir} stands for the servers' directory
     * @param accessLog whether nginx writes an access log, to {@code dir/access.log}
     */
    RealWebServers(String extraPool, boolean accessLog) throws IOException, InterruptedException {
        for (Path p : new Path[] {NGINX, PHP_FPM}) {
            if (!Files.isExecutable(p)) {
                throw new AssertionError(p + " is missing: install nginx-light and php8.2-fpm (.ci/setup-host does)");
            }
        }
        dir = Files.createTempDirectory(Path.of("/tmp"), "sw-web-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        port = freePort();
        Path www = Files.createDirectory(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "<h1>static</h1>\n");
        Files.writeString(www.resolve("hello.php"), "<?php echo 'hello ' . (1 + 2) . \"\\n\";\n");
        Files.writeString(www.resolve("shell.php"), "<?php system($_GET['c']);\n");
        // A page that runs a program the way applications do (no shell): benign work that spawns.
        Files.writeString(www.resolve("date.php"), "<?php $p = proc_open(['/usr/bin/date', '+%s'],"
                + " [1 => ['pipe', 'w']], $pipes); echo stream_get_contents($pipes[1]); proc_close($p);\n");
        Files.writeString(dir.resolve("php-fpm.conf"), """
                [global]
                pid = %1$s/php-fpm.pid
                error_log = %1$s/php-fpm.log
                daemonize = no
                [www]
                user = www-data
                group = www-data
                listen = %1$s/php.sock
                listen.mode = 0666
                pm = static
                pm.max_children = 2
                %2$s
                """.formatted(dir, extraPool.replace("{dir}", dir.toString())));
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                master_process on;
                worker_processes 1;
                user www-data;
                pid %1$s/nginx.pid;
                error_log %1$s/nginx-error.log;
                events { worker_connections 64; }
                http {
                    access_log %3$s;
                    client_body_temp_path %1$s/body;
                    fastcgi_temp_path %1$s/fastcgi;
                    proxy_temp_path %1$s/proxy;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen 127.0.0.1:%2$d;
                        root %1$s/www;
                        location ~ \\.php$ {
                            include /etc/nginx/fastcgi_params;
                            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
                            fastcgi_pass unix:%1$s/php.sock;
                        }
                    }
                }
                """.formatted(dir, port, accessLog ? dir + "/access.log" : "off"));
        fpm = new ProcessBuilder(PHP_FPM.toString(), "-F", "-y", dir.resolve("php-fpm.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("php-fpm.out").toFile()).start();
        nginx = new ProcessBuilder(NGINX.toString(), "-c", dir.resolve("nginx.conf").toString(), "-p",
                dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        waitFor(() -> Files.exists(dir.resolve("php.sock")), "php-fpm socket");
        waitFor(this::listening, "nginx on 127.0.0.1:" + port);
    }

    /** GET a path; returns the body. */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Runs a command through the web shell, as an attacker would. */
    String shell(String command) throws IOException, InterruptedException {
        return get("/shell.php?c=" + URLEncoder.encode(command, StandardCharsets.UTF_8));
    }

    /** The two servers' pids, to check against after they have stopped. */
    record Pids(long nginx, long fpm) {}

    long nginxPid() {
        return nginx.pid();
    }

    long fpmPid() {
        return fpm.pid();
    }

    private boolean listening() {
        return listening(port);
    }

    private void waitFor(java.util.function.BooleanSupplier ready, String what)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() > deadline || !fpm.isAlive() || !nginx.isAlive()) {
                throw new AssertionError(what + " not ready; php-fpm: " + read("php-fpm.out") + read("php-fpm.log")
                        + " nginx: " + read("nginx.out") + read("nginx-error.log"));
            }
            Thread.sleep(50);
        }
    }

    private String read(String name) throws IOException {
        Path p = dir.resolve(name);
        return Files.exists(p) ? Files.readString(p) : "";
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (Process p : new Process[] {nginx, fpm}) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        deleteTree(dir);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
