package io.spawnwatch.rules.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.spawnwatch.event.EventType;
import io.spawnwatch.event.EventView;
import io.spawnwatch.event.Field;
import io.spawnwatch.event.SegmentText;
import io.spawnwatch.rules.TestEvent;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyHasherTest {
    private static final List<Field> FIELDS = List.of(Field.COMMAND_LINE, Field.PARENT_IMAGE, Field.USER_ID,
            Field.CONTAINER_ID);
    private static final long SEED = 0x5eed_5eed_5eed_5eedL;

    private static TestEvent event(String commandLine) {
        return TestEvent.phpFpmChild("/usr/bin/dash", "sh", commandLine);
    }

    /**
     * Keys are stored in the baseline database: the same values and seed must
     * give the same key in every version, or every baseline looks new after an
     * upgrade. These values were computed by the first XXH3-128 version of
     * KeyHasher (baseline store schema 2).
     */
    @Test
    void shouldGiveTheSameKeysAsEverForTheSameValuesAndSeed() {
        KeyHasher h = new KeyHasher(SEED);
        assertEquals(new Key(GOLDEN_SHORT_HI, GOLDEN_SHORT_LO), h.hash("rule-a", event("sh -c id"), FIELDS));
        String longLine = "sh -c " + "x".repeat(5000) + "\u00e9";
        assertEquals(new Key(GOLDEN_LONG_HI, GOLDEN_LONG_LO), h.hash("rule-a", event(longLine), FIELDS));
    }

    @Test
    void shouldTellDomainsAndFieldBoundariesApart() {
        KeyHasher h = new KeyHasher(SEED);
        assertNotEquals(h.hash("rule-a", event("sh -c id"), FIELDS), h.hash("rule-b", event("sh -c id"), FIELDS));
        TestEvent ab = TestEvent.exec().set(Field.IMAGE, "ab").set(Field.COMMAND_LINE, "c");
        TestEvent a = TestEvent.exec().set(Field.IMAGE, "a").set(Field.COMMAND_LINE, "bc");
        List<Field> two = List.of(Field.IMAGE, Field.COMMAND_LINE);
        assertNotEquals(h.hash("d", ab, two), h.hash("d", a, two));
    }

    @Test
    void shouldTellAbsentFromEmptyAndOneByteCharsFromTwoByteChars() {
        KeyHasher h = new KeyHasher(SEED);
        List<Field> one = List.of(Field.COMMAND_LINE);
        TestEvent absent = TestEvent.exec();
        TestEvent empty = TestEvent.exec().set(Field.COMMAND_LINE, "");
        assertNotEquals(h.hash("d", absent, one), h.hash("d", empty, one));
        // Events give text as bytes, one per char; a view that gives Java chars above 0xff is hashed two
        // bytes per char, and must not collide with the chars of those two bytes: "\u0100" vs "\u0001\u0000".
        EventView wide = withCommandLine(TestEvent.exec(), "\u0100");
        EventView narrow = withCommandLine(TestEvent.exec(), "\u0001\u0000");
        assertNotEquals(h.hash("d", wide, one), h.hash("d", narrow, one));
    }

    /** Text from a record (SegmentText, copied in bulk) hashes as the same chars in a String do. */
    @Test
    void shouldGiveTheSameKeyForRecordTextAsForTheSameString() {
        String line = "sh -c convert /var/www/html/up/a.png -resize 50% b.png \u00e9";
        byte[] utf8 = line.getBytes(StandardCharsets.UTF_8); // what the kernel record holds
        SegmentText text = new SegmentText().wrap(MemorySegment.ofArray(utf8), 0, utf8.length, false);
        TestEvent asString = event(line); // TestEvent gives the same UTF-8 bytes, one per char
        KeyHasher h = new KeyHasher(SEED);
        assertEquals(h.hash("rule-a", asString, FIELDS), h.hash("rule-a", withCommandLine(asString, text), FIELDS));
    }

    /** {@code base} with its command line replaced by {@code commandLine}, given as it is. */
    private static EventView withCommandLine(TestEvent base, CharSequence commandLine) {
        return new EventView() {
            @Override
            public EventType type() {
                return base.type();
            }

            @Override
            public long timestampNanos() {
                return base.timestampNanos();
            }

            @Override
            public CharSequence text(Field field) {
                return field == Field.COMMAND_LINE ? commandLine : base.text(field);
            }

            @Override
            public long number(Field field) {
                return base.number(field);
            }

            @Override
            public int address(Field field, byte[] out) {
                return base.address(field, out);
            }
        };
    }

    @Test
    void shouldGiveOtherKeysUnderAnotherSeed() {
        Key a = new KeyHasher(SEED).hash("rule-a", event("sh -c id"), FIELDS);
        Key b = new KeyHasher(SEED + 1).hash("rule-a", event("sh -c id"), FIELDS);
        assertNotEquals(a, b);
    }

    @Test
    void shouldGiveTheSameKeyWithoutTheKeyObject() {
        KeyHasher h = new KeyHasher(SEED);
        Key k = h.hash("rule-a", event("sh -c id"), FIELDS);
        h.hashInto("rule-b", event("other"), FIELDS);
        h.hashInto("rule-a", event("sh -c id"), FIELDS);
        assertEquals(k, new Key(h.hi(), h.lo()));
    }

    private static final long GOLDEN_SHORT_HI = -5092486286461890778L;
    private static final long GOLDEN_SHORT_LO = 1869973253983972011L;
    // The long line ends in "\u00e9", which events (and TestEvent) give as its UTF-8 bytes C3 A9, one per char.
    private static final long GOLDEN_LONG_HI = -2429280514436158675L;
    private static final long GOLDEN_LONG_LO = -4025055602739150175L;
}
