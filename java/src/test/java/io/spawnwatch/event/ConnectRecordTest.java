package io.spawnwatch.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConnectRecordTest {

    @Test
    void shouldCopyAnIpv4AddressInNetworkOrder() {
        ConnectRecord r = new ConnectRecord().wrap(TestRecords.connect(4242, 4000, "php-fpm8.2", "php-fpm8.2", 33,
                4000, 1, "10.0.0.2", "192.168.1.200", 3306), 0);
        byte[] out = new byte[16];
        assertEquals(4, r.destinationAddress(out));
        assertArrayEquals(new byte[] {(byte) 192, (byte) 168, 1, (byte) 200}, java.util.Arrays.copyOf(out, 4));
        assertEquals(4, r.sourceAddress(out));
        assertArrayEquals(new byte[] {10, 0, 0, 2}, java.util.Arrays.copyOf(out, 4));
        assertEquals(3306, r.destinationPort());
        assertEquals(ConnectRecordDescriptor.AF_INET, r.family());
    }

    @Test
    void shouldCopyAnIpv6AddressInNetworkOrder() {
        ConnectRecord r = new ConnectRecord().wrap(TestRecords.connect(1, 1, "nginx", "nginx", 33, 0, 0,
                "2001:db8::2", "2001:db8:0:1::ff:7", 443), 0);
        byte[] out = new byte[16];
        assertEquals(16, r.destinationAddress(out));
        assertArrayEquals(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, (byte) 0xff, 0, 7},
                out);
    }
}
