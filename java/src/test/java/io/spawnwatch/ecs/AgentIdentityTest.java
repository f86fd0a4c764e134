package io.spawnwatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agent.id: made once, kept 0600 in the state directory, the same after a restart. */
class AgentIdentityTest {
    @TempDir
    Path dir;

    @Test
    void shouldMakeTheIdOnceAndKeepItPrivate() throws Exception {
        Path state = dir.resolve("state");
        AgentIdentity first = AgentIdentity.load(state, "0.1.0", "web1");
        AgentIdentity again = AgentIdentity.load(state, "0.1.0", "web1");
        assertEquals(first.id(), again.id());
        assertTrue(first.persisted());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.resolve(AgentIdentity.FILE))));
        assertEquals("spawnwatch", first.type());
    }

    @Test
    void shouldSayWhatIsWrongWithABrokenIdFile() throws Exception {
        Files.writeString(dir.resolve(AgentIdentity.FILE), "not-a-uuid\n");
        IOException e = assertThrows(IOException.class, () -> AgentIdentity.load(dir, "0.1.0", "web1"));
        assertEquals(dir.resolve(AgentIdentity.FILE) + ": expected one UUID (the agent id), found 'not-a-uuid';"
                + " delete the file to make a new id", e.getMessage());
    }

    @Test
    void shouldLastOneRunWithoutAStateDirectory() throws Exception {
        AgentIdentity a = AgentIdentity.load(null, "0.1.0", "web1");
        assertFalse(a.persisted());
        assertEquals(36, a.id().length());
    }
}
