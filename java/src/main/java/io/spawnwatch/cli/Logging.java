package io.spawnwatch.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** One line per log record on stderr: time, level, message (and a stack trace only for bugs). */
final class Logging {
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
    }
}
