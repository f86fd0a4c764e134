package io.spawnwatch.control;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the control package logs (System.Logger goes to
 * java.util.logging by default) instead of printing it, so tests can assert on
 * log lines, e.g. that a refusal is logged. {@link #of(String)} captures another logger.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final boolean parentHandlers;
    private final Level level;
    private final List<String> lines = new ArrayList<>();

    LogCapture() {
        this("io.spawnwatch.control");
    }

    private LogCapture(String name) {
        logger = Logger.getLogger(name);
        parentHandlers = logger.getUseParentHandlers();
        level = logger.getLevel();
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.INFO);
        logger.addHandler(this);
    }

    /** Captures the logger of that name (a System.Logger name) until closed. */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** "LEVEL message", formatted, in order. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Every line, joined by newlines. */
    public synchronized String text() {
        return String.join("\n", lines);
    }

    /** How many lines contain {@code fragment}. */
    public synchronized long count(String fragment) {
        return lines.stream().filter(l -> l.contains(fragment)).count();
    }

    @Override
    public synchronized void publish(LogRecord r) {
        String message = r.getParameters() == null ? r.getMessage() : MessageFormat.format(r.getMessage(),
                r.getParameters());
        lines.add(r.getLevel() + " " + message);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(parentHandlers);
        logger.setLevel(level);
    }
}
