package io.spawnwatch.rules.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.spawnwatch.event.Field;
import io.spawnwatch.rules.match.LiteralPredicates.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogicOrderTest {
    private static final Matcher SCAN_PARENT_COMMAND_LINE = new FieldMatchers.Text(Field.PARENT_COMMAND_LINE,
            TextPredicates.allOf(List.of(LiteralPredicates.of(Shape.CONTAINS, "/bin/java", false),
                    LiteralPredicates.of(Shape.CONTAINS, "tomcat", false))));
    private static final Matcher NAME_LOOK_UP = new FieldMatchers.Text(Field.PROCESS_NAME,
            new ExactSet(List.of("whoami", "id", "uname", "cat"), false));
    private static final Matcher DEPTH = new FieldMatchers.Number(Field.LINEAGE_DEPTH,
            FieldMatchers.Comparison.GTE, 1);

    @Test
    void shouldTestTheCheapestOperandsFirst() {
        Logic.And and = assertInstanceOf(Logic.And.class,
                Logic.and(List.of(Logic.or(List.of(SCAN_PARENT_COMMAND_LINE, DEPTH)), NAME_LOOK_UP)));
        assertSame(NAME_LOOK_UP, and.parts()[0]);
        Logic.Or or = assertInstanceOf(Logic.Or.class, and.parts()[1]);
        assertSame(DEPTH, or.parts()[0]);
        assertSame(SCAN_PARENT_COMMAND_LINE, or.parts()[1]);
    }

    @Test
    void shouldKeepTheWrittenOrderBetweenEqualCosts() {
        Matcher a = new FieldMatchers.Number(Field.USER_ID, FieldMatchers.Comparison.EQ, 33);
        Matcher b = new FieldMatchers.Number(Field.USER_ID, FieldMatchers.Comparison.EQ, 48);
        assertEquals(List.of(a, b), List.of(((Logic.Or) Logic.or(List.of(a, b))).parts()));
        assertEquals(List.of(b, a), List.of(((Logic.Or) Logic.or(List.of(b, a))).parts()));
    }
}
