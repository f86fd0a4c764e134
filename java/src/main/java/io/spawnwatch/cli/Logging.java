package io.spawnwatch.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** One line per log record on stderr: time, level, message (and a stack trace only for bugs). */
final class Logging {
    /** Held: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final Logger KAFKA = Logger.getLogger("org.apache.kafka");
    private static final Logger KAFKA_NETWORK = Logger.getLogger("org.apache.kafka.clients.NetworkClient");

    private Logging() {}

    static void configure() {
        System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tFT%1$tT.%1$tLZ %4$s spawnwatch: %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        String level = System.getenv().getOrDefault("SPAWNWATCH_LOG_LEVEL", "INFO");
        Level l;
        try {
            l = Level.parse(level);
        } catch (IllegalArgumentException e) {
            l = Level.INFO;
        }
        handler.setLevel(l);
        root.setLevel(l);
        root.addHandler(handler);
        // The Kafka output's client logs through SLF4J into this log: its warnings (a "properties:" key it does
        // not know...) but not its reconnect attempts while a broker is down, which the sink reports itself,
        // once, with what to check.
        KAFKA.setLevel(Level.WARNING);
        KAFKA_NETWORK.setLevel(Level.SEVERE);
    }
}
