package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleError;

/**
 * Why the detection engine could not start or go on: a small sealed family so
 * the CLI can map each to a message and an exit code. Rule problems are not
 * exceptions: they come back as {@link RuleError}s and the other rules load.
 */
public abstract sealed class DetectionException extends RuntimeException
        permits DetectionException.StateStore, DetectionException.BadConfig {

    DetectionException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The baseline store could not be opened or written. */
    public static final class StateStore extends DetectionException {
        public StateStore(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The configuration cannot be used (e.g. an unknown suppression key field). */
    public static final class BadConfig extends DetectionException {
        public BadConfig(String message) {
            super(message, null);
        }
    }
}
