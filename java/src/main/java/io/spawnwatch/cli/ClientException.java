package io.spawnwatch.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * Why a client verb failed; {@link Main} prints the message as one line (plus
 * the sensor's details, one per line) and exits with {@link #exitCode()}.
 */
public abstract sealed class ClientException extends Exception
        permits ClientException.Unreachable, ClientException.SensorError {
    private ClientException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    public abstract int exitCode();

    /** Lines printed after the message (e.g. every error of a rejected rule reload). */
    public List<String> details() {
        return List.of();
    }

    /** Nothing answers on the socket, or the connection broke before the answer. */
    public static final class Unreachable extends ClientException {
        private final Path socket;

        public Unreachable(Path socket, String message, Throwable cause) {
            super(message, cause);
            this.socket = socket;
        }

        public Path socket() {
            return socket;
        }

        @Override
        public int exitCode() {
            return ExitCodes.UNREACHABLE;
        }
    }

    /** The sensor answered {"error":{...}}. */
    public static final class SensorError extends ClientException {
        private final String code;
        private final List<String> details;

        public SensorError(String code, String message, List<String> details) {
            super(code + ": " + message, null);
            this.code = code;
            this.details = List.copyOf(details);
        }

        /** The protocol's error code, e.g. not_found. */
        public String code() {
            return code;
        }

        @Override
        public List<String> details() {
            return details;
        }

        @Override
        public int exitCode() {
            return ExitCodes.SENSOR_ERROR;
        }
    }
}
