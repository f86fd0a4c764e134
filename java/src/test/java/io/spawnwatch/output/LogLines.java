package io.spawnwatch.output;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures what the output package logs (System.Logger goes to java.util.logging), for assertions. */
final class LogLines extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("io.spawnwatch.output");
    private final boolean parentHandlers = logger.getUseParentHandlers();
    private final List<String> lines = new ArrayList<>();

    LogLines() {
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
    }

    /** "LEVEL message", in order. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public synchronized void publish(LogRecord r) {
        String message = r.getParameters() == null ? r.getMessage()
                : MessageFormat.format(r.getMessage(), r.getParameters());
        lines.add(r.getLevel() + " " + message);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(parentHandlers);
        logger.setLevel((Level) null);
    }
}
