package io.spawnwatch.fleet;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spawnwatch fleet}: runs the fleet job until SIGINT or SIGTERM. */
@Command(name = "spawnwatch fleet", mixinStandardHelpOptions = true,
        header = "Fleet-wide rarity and new terms over the sensors' fleet candidates (Kafka Streams).",
        description = {
            "Reads the candidates the sensors send to Kafka (outputs: kafka,",
            "fleet_candidates), counts each (process.executable,",
            "process.working_directory, process.parent.executable) per 61-minute",
            "window over every host, and writes an ECS alert when a window closes",
            "with exactly one agent and fewer than 5 events (the seed rule's ES|QL).",
            "Also writes fleet-wide new terms: the first time in 7 days that any",
            "host runs a command line under a parent. Exactly-once; instances with",
            "the same --application-id share the partitions."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly", "1:the job failed (the message says why)", "2:bad usage"})
public final class FleetMain implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers (or bootstrap.servers in --kafka-config).")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties (security.protocol, ssl.*, sasl.*, ...), Java properties format.")
    Path kafkaConfig;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = "spawnwatch-fleet",
            description = "Kafka Streams application id: consumer group and prefix of internal topics (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/spawnwatch-fleet",
            description = "Local state (RocksDB), rebuilt from the changelogs when lost (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--candidates-topic", paramLabel = "TOPIC", defaultValue = "spawnwatch.fleet-candidates", description = "(default: ${DEFAULT-VALUE})")
    String candidatesTopic;

    @Option(names = "--alerts-topic", paramLabel = "TOPIC", defaultValue = "spawnwatch.fleet-alerts", description = "(default: ${DEFAULT-VALUE})")
    String alertsTopic;

    @Option(names = "--new-terms-topic", paramLabel = "TOPIC", defaultValue = "spawnwatch.fleet-new-terms", description = "(default: ${DEFAULT-VALUE})")
    String newTermsTopic;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "2m", converter = DurationText.class,
            description = "Late candidates still count this long after a window's end; alerts go out then (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--new-terms-learning", paramLabel = "DURATION", defaultValue = "7d", converter = DurationText.class,
            description = "Learn without new-terms alerts this long after the first candidate (default: ${DEFAULT-VALUE}).")
    Duration learning;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FleetMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        configureLogging();
        Properties p = new Properties();
        if (kafkaConfig != null) {
            try (Reader r = Files.newBufferedReader(kafkaConfig)) {
                p.load(r);
            } catch (IOException e) {
                spec.commandLine().getErr().println("spawnwatch fleet: --kafka-config " + kafkaConfig
                        + ": cannot read: " + e.getMessage());
                return 2;
            }
        }
        if (bootstrapServers != null) {
            p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        if (p.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) == null) {
            spec.commandLine().getErr().println("spawnwatch fleet: no brokers: give --bootstrap-servers or"
                    + " bootstrap.servers in --kafka-config");
            return 2;
        }
        p.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.setProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(threads));
        FleetSettings settings = FleetSettings.defaults().withTopics(candidatesTopic, alertsTopic, newTermsTopic)
                .withGrace(grace).withNewTermsLearning(learning);
        CountDownLatch stop = new CountDownLatch(1);
        for (String signal : new String[] {"INT", "TERM"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop.countDown());
        }
        Logger log = Logger.getLogger(FleetMain.class.getName());
        try (FleetJob job = FleetJob.start(p, settings)) {
            log.info("fleet: started: candidates=" + candidatesTopic + " alerts=" + alertsTopic + " new_terms="
                    + newTermsTopic + " window=" + settings.window() + " grace=" + grace + " application.id="
                    + applicationId);
            while (!stop.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                log.info("fleet: " + job.state() + " " + job.counters());
                if (job.state() == org.apache.kafka.streams.KafkaStreams.State.ERROR) {
                    spec.commandLine().getErr().println("spawnwatch fleet: the job is in state ERROR; see the log");
                    return 1;
                }
            }
        }
        return 0;
    }

    /** One line per record on stderr, like the sensor; Kafka's own logs at WARNING and above. */
    private static void configureLogging() {
        System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tFT%1$tT.%1$tLZ %4$s spawnwatch-fleet: %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(Level.ALL);
        root.setLevel(Level.INFO);
        root.addHandler(handler);
        Logger.getLogger("org.apache.kafka").setLevel(Level.WARNING);
    }

    /** Durations as "90s", "2m", "1h", "7d" or ISO-8601 ("PT2M"). */
    static final class DurationText implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String s) {
            if (s.startsWith("P") || s.startsWith("p")) {
                return Duration.parse(s);
            }
            if (s.length() < 2) {
                throw new CommandLine.TypeConversionException("expected a duration like 90s, 2m, 1h or 7d, got '" + s + "'");
            }
            long n;
            try {
                n = Long.parseLong(s.substring(0, s.length() - 1));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("expected a duration like 90s, 2m, 1h or 7d, got '" + s + "'");
            }
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new CommandLine.TypeConversionException(
                        "expected a duration like 90s, 2m, 1h or 7d, got '" + s + "'");
            };
        }
    }
}
