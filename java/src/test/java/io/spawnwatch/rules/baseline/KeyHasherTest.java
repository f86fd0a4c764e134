package io.spawnwatch.rules.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.TestEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyHasherTest {
    private static final List<Field> FIELDS = List.of(Field.COMMAND_LINE, Field.PARENT_IMAGE, Field.USER_ID,
            Field.CONTAINER_ID);

    private static TestEvent event(String commandLine) {
        return TestEvent.phpFpmChild("/usr/bin/dash", "sh", commandLine);
    }

    /**
     * Keys are stored in the baseline database: the same values must give the
     * same key in every version, or every baseline looks new after an upgrade.
     * These values were computed by the first version of KeyHasher.
     */
    @Test
    void shouldGiveTheSameKeysAsEverForTheSameValues() {
        KeyHasher h = new KeyHasher();
        assertEquals(new Key(GOLDEN_SHORT_HI, GOLDEN_SHORT_LO), h.hash("rule-a", event("sh -c id"), FIELDS));
        String longLine = "sh -c " + "x".repeat(5000) + "\u00e9";
        assertEquals(new Key(GOLDEN_LONG_HI, GOLDEN_LONG_LO), h.hash("rule-a", event(longLine), FIELDS));
    }

    @Test
    void shouldTellDomainsAndFieldBoundariesApart() {
        KeyHasher h = new KeyHasher();
        assertNotEquals(h.hash("rule-a", event("sh -c id"), FIELDS), h.hash("rule-b", event("sh -c id"), FIELDS));
        TestEvent ab = TestEvent.exec().set(Field.IMAGE, "ab").set(Field.COMMAND_LINE, "c");
        TestEvent a = TestEvent.exec().set(Field.IMAGE, "a").set(Field.COMMAND_LINE, "bc");
        List<Field> two = List.of(Field.IMAGE, Field.COMMAND_LINE);
        assertNotEquals(h.hash("d", ab, two), h.hash("d", a, two));
    }

    private static final long GOLDEN_SHORT_HI = 8002865643839752721L;
    private static final long GOLDEN_SHORT_LO = -1166632863450486778L;
    // The long line ends in "é", which a real event (and now TestEvent) exposes as its UTF-8 bytes C3 A9, one per
    // char; the first golden value hashed the UTF-16 char E9, which no real event ever carried, so keys stored
    // from real events are unchanged.
    private static final long GOLDEN_LONG_HI = -723560346675003343L;
    private static final long GOLDEN_LONG_LO = -4155479995045792818L;
}
