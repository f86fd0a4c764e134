package io.spawnwatch.control;

import java.util.List;

/**
 * What a {@link SensorControl} implementation throws to answer a command with
 * an error. The control server maps each kind to its {@link ErrorCode}; any
 * other exception becomes {@link ErrorCode#SENSOR_ERROR} and is logged.
 */
public abstract sealed class SensorException extends RuntimeException
        permits SensorException.NotFound, SensorException.Rejected, SensorException.Failed {
    private final List<String> details;

    private SensorException(String message, List<String> details, Throwable cause) {
        super(message, cause);
        this.details = List.copyOf(details);
    }

    /** The wire code for this kind of failure. */
    public abstract ErrorCode code();

    /** Every individual reason (e.g. one line per error in a rule file); may be empty. */
    public List<String> details() {
        return details;
    }

    /** The named rule, web server, user or exception does not exist. */
    public static final class NotFound extends SensorException {
        public NotFound(String message) {
            super(message, List.of(), null);
        }

        @Override
        public ErrorCode code() {
            return ErrorCode.NOT_FOUND;
        }
    }

    /**
     * The change is refused and nothing changed: a rule file with errors (every
     * error in {@code details}), a user name that does not resolve, ...
     */
    public static final class Rejected extends SensorException {
        public Rejected(String message) {
            this(message, List.of());
        }

        public Rejected(String message, List<String> details) {
            super(message, details, null);
        }

        @Override
        public ErrorCode code() {
            return ErrorCode.REJECTED;
        }
    }

    /** The sensor could not carry out a valid command (kernel map update, I/O...). */
    public static final class Failed extends SensorException {
        public Failed(String message, Throwable cause) {
            super(message, List.of(), cause);
        }

        public Failed(String message) {
            this(message, null);
        }

        @Override
        public ErrorCode code() {
            return ErrorCode.SENSOR_ERROR;
        }
    }
}
