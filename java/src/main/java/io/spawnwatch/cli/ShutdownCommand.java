package io.spawnwatch.cli;

import picocli.CommandLine.Command;

@Command(name = "shutdown", header = "Stop the sensor cleanly (hooks detached, outputs flushed).")
final class ShutdownCommand extends ClientVerb {
    @Override
    public Integer call() throws ClientException {
        return callAndPrint("shutdown", args(), (r, out) -> out.println("the sensor is stopping"));
    }
}
