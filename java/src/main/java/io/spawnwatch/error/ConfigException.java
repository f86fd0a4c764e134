package io.spawnwatch.error;

/** A configuration file or value is wrong; the message names the file, key and what was expected. */
public final class ConfigException extends SpawnwatchException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
