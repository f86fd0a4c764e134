package io.spawnwatch.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** DNS queries as resolvers and tunnels put them on the wire (RFC 1035 section 4.1). */
class DnsQuestionTest {
    private static byte[] query(int flags, int questions, byte[] qname, int qtype) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x12, 0x34, (byte) (flags >> 8), (byte) flags, 0, (byte) questions, 0, 0, 0, 0, 0,
            0});
        out.writeBytes(qname);
        out.writeBytes(new byte[] {(byte) (qtype >> 8), (byte) qtype, 0, 1});
        return out.toByteArray();
    }

    private static byte[] name(String... labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String l : labels) {
            out.write(l.length());
            out.writeBytes(l.getBytes());
        }
        out.write(0);
        return out.toByteArray();
    }

    private static DnsQuestion parse(byte[] bytes) {
        DnsQuestion q = new DnsQuestion();
        assertTrue(q.parse(MemorySegment.ofArray(bytes), 0, bytes.length));
        return q;
    }

    @Test
    void shouldReadTheNameAndTypeOfAQuery() {
        DnsQuestion q = parse(query(0x0100, 1, name("tunnel", "us", "ngrok", "com"), 16));
        assertEquals("tunnel.us.ngrok.com", q.name().toString());
        assertEquals(16, q.type());
        assertEquals("TXT", DnsQuestion.typeName(q.type()));
        assertEquals(4, q.labels());
        assertEquals("AAAA", DnsQuestion.typeName(parse(query(0x0100, 1, name("a", "b"), 28)).type()));
    }

    @Test
    void shouldEscapeBinaryAndDotsInLabels() {
        byte[] qname = {3, 'a', 0, '.', 1, '\\', 0};
        assertEquals("a\\000\\046.\\092", parse(query(0, 1, qname, 1)).name().toString());
        assertEquals(".", parse(query(0, 1, new byte[] {0}, 2)).name().toString());
        assertEquals("TYPE99", DnsQuestion.typeName(99));
    }

    @Test
    void shouldRefuseResponsesTruncatedNamesPointersAndLongLabels() {
        DnsQuestion q = new DnsQuestion();
        byte[] response = query(0x8180, 1, name("example", "com"), 1);
        assertFalse(q.parse(MemorySegment.ofArray(response), 0, response.length));
        byte[] none = query(0x0100, 0, name("example", "com"), 1);
        assertFalse(q.parse(MemorySegment.ofArray(none), 0, none.length));
        byte[] full = query(0x0100, 1, name("example", "com"), 1);
        assertFalse(q.parse(MemorySegment.ofArray(full), 0, 12 + 5)); // cut inside the name
        byte[] pointer = query(0x0100, 1, new byte[] {(byte) 0xc0, 12}, 1);
        assertFalse(q.parse(MemorySegment.ofArray(pointer), 0, pointer.length));
        byte[] label64 = query(0x0100, 1, name("x".repeat(64)), 1);
        assertFalse(q.parse(MemorySegment.ofArray(label64), 0, label64.length));
        byte[] tooLong = query(0x0100, 1, name("a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(63)), 1);
        assertFalse(q.parse(MemorySegment.ofArray(tooLong), 0, tooLong.length));
        assertFalse(q.parse(MemorySegment.ofArray(new byte[4]), 0, 4));
    }
}
