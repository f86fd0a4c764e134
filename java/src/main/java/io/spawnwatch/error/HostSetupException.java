package io.spawnwatch.error;

/** The host cannot run the sensor as it is (privileges, BTF, mounts); the message says how to fix it. */
public final class HostSetupException extends SpawnwatchException {
    public HostSetupException(String message) {
        super(message);
    }
}
