package io.spawnwatch.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every client verb shares: where the sensor listens, and raw JSON output. */
public final class ClientOptions {
    /** The --socket default: $SPAWNWATCH_SOCKET, else /run/spawnwatch/spawnwatch.sock. */
    public static final String SOCKET_DEFAULT = "${env:SPAWNWATCH_SOCKET:-/run/spawnwatch/spawnwatch.sock}";

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = SOCKET_DEFAULT,
            description = "The sensor's control socket (default: ${DEFAULT-VALUE}; env SPAWNWATCH_SOCKET).")
    Path socket;

    @Option(names = "--json", description = "Print raw JSON, one object per line, for scripts.")
    boolean json;
}
