package io.spawnwatch.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class Ipv6TextTest {
    private static String text(String address) throws Exception {
        return Ipv6Text.append(new StringBuilder(), InetAddress.getByName(address).getAddress()).toString();
    }

    private static String mapped(int a, int b, int c, int d) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        return Ipv6Text.append(new StringBuilder(), bytes).toString();
    }

    @Test
    void shouldCompressTheLongestZeroRunPerRfc5952() throws Exception {
        assertEquals("::1", text("::1"));
        assertEquals("::", text("::"));
        assertEquals("2001:db8::1", text("2001:db8:0:0:0:0:0:1"));
        assertEquals("2001:db8:0:1:1:1:1:1", text("2001:db8:0:1:1:1:1:1"));
        assertEquals("2001:0:0:1::1", text("2001:0:0:1:0:0:0:1"));
        assertEquals("fe80::1:2", text("fe80::1:2"));
        assertEquals("1::", text("1:0:0:0:0:0:0:0"));
    }

    @Test
    void shouldWriteIpv4MappedAddressesWithDots() {
        assertEquals("::ffff:10.1.2.3", mapped(10, 1, 2, 3));
    }
}
