package io.spawnwatch.ecs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * The ECS {@code agent.*} fields: this sensor as the agent that wrote the
 * document. {@code agent.id} is a random UUID made on the first start and
 * kept in the sensor's state directory (file {@code agent-id}, mode 0600), so
 * it stays the same across restarts and upgrades, as Elastic Agent's does;
 * Elastic's "Unusual Process Spawned from Web Server Parent" counts
 * {@code count_distinct(agent.id)}.
 *
 * @param id the UUID
 * @param type ECS agent.type: "spawnwatch"
 * @param version the sensor's version
 * @param name ECS agent.name: the host name unless configured (as Beats do)
 * @param persisted false when there was no state directory: the id then lasts one run
 */
public record AgentIdentity(String id, String type, String version, String name, boolean persisted) {
    public static final String TYPE = "spawnwatch";
    /** The file in the state directory. */
    public static final String FILE = "agent-id";

    /**
     * Loads the id from {@code stateDir}, creating it on the first start.
     *
     * @param stateDir where the sensor keeps its state, or null for none (an id for this run only)
     * @throws IOException when the directory or file cannot be read or written, or the file does not hold a UUID
     */
    public static AgentIdentity load(Path stateDir, String version, String name) throws IOException {
        if (stateDir == null) {
            return new AgentIdentity(UUID.randomUUID().toString(), TYPE, version, name, false);
        }
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            io.spawnwatch.files.PrivateFiles.createDirectories(stateDir, -1); // 0700, the state directory
            String fresh = UUID.randomUUID().toString();
            try {
                Files.writeString(Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                        fresh + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
                return new AgentIdentity(fresh, TYPE, version, name, true);
            } catch (FileAlreadyExistsException raced) {
                // another start made it first: use theirs
            }
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        try {
            return new AgentIdentity(UUID.fromString(text).toString(), TYPE, version, name, true);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": expected one UUID (the agent id), found '" + text
                    + "'; delete the file to make a new id");
        }
    }
}
