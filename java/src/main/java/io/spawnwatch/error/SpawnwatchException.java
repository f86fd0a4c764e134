package io.spawnwatch.error;

/**
 * Errors the sensor reports to its user: each one's message is a single line
 * that says what failed and what to do. The CLI maps the subtypes to exit codes
 * and prints the message without a stack trace.
 */
public abstract sealed class SpawnwatchException extends Exception
        permits BpfException, HostSetupException, ConfigException {

    protected SpawnwatchException(String message) {
        super(message);
    }

    protected SpawnwatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
