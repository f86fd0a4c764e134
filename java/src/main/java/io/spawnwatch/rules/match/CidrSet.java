package io.spawnwatch.rules.match;

import io.spawnwatch.event.EventView;
import io.spawnwatch.event.Field;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sigma's {@code cidr} modifier over an address field, read with
 * {@link EventView#address} into a per-thread scratch buffer. An IPv4-mapped
 * IPv6 address ({@code ::ffff:a.b.c.d}, what a dual-stack socket reports) is
 * tested as the IPv4 address it carries, so {@code 127.0.0.0/8} covers it.
 */
public final class CidrSet implements Matcher {
    private final Field field;
    private final byte[][] networks;
    private final int[] prefixes;
    private final List<String> source;
    private final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[16]);

    private CidrSet(Field field, byte[][] networks, int[] prefixes, List<String> source) {
        this.field = field;
        this.networks = networks;
        this.prefixes = prefixes;
        this.source = source;
    }

    /**
     * Parses ranges such as {@code 10.0.0.0/8}, {@code fe80::/10} or a bare
     * address (a full-length prefix).
     *
     * @throws IllegalArgumentException naming the range that does not parse
     */
    public static CidrSet of(Field field, List<String> ranges) {
        byte[][] nets = new byte[ranges.size()][];
        int[] prefixes = new int[ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            String r = ranges.get(i).trim();
            int slash = r.indexOf('/');
            String addr = slash < 0 ? r : r.substring(0, slash);
            byte[] bytes = parseLiteral(addr);
            if (bytes == null) {
                throw new IllegalArgumentException("not an IP network: '" + r + "'");
            }
            int max = bytes.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? max : Integer.parseInt(r.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + r + "'");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix length out of range in '" + r + "': max=" + max);
            }
            nets[i] = bytes;
            prefixes[i] = prefix;
        }
        return new CidrSet(field, nets, prefixes, List.copyOf(ranges));
    }

    /** Parses an IP literal without ever resolving a name; null when it is not one. */
    public static byte[] parseLiteral(String text) {
        String t = text.trim();
        boolean v6 = t.indexOf(':') >= 0;
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            boolean ok = (ch >= '0' && ch <= '9') || ch == '.'
                    || (v6 && (ch == ':' || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')));
            if (!ok) {
                return null; // never hand InetAddress something it might resolve as a name
            }
        }
        if (t.isEmpty() || (!v6 && t.split("\\.", -1).length != 4)) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    @Override
    public boolean matches(EventView event) {
        byte[] buf = scratch.get();
        int len = event.address(field, buf);
        int offset = 0;
        if (len == 16 && isV4Mapped(buf)) {
            offset = 12;
            len = 4;
        }
        if (len != 4 && len != 16) {
            return false;
        }
        for (int i = 0; i < networks.length; i++) {
            if (networks[i].length == len && inPrefix(buf, offset, networks[i], prefixes[i])) {
                return true;
            }
        }
        return false;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static boolean inPrefix(byte[] addr, int offset, byte[] net, int prefix) {
        int full = prefix >>> 3;
        for (int i = 0; i < full; i++) {
            if (addr[offset + i] != net[i]) {
                return false;
            }
        }
        int rem = prefix & 7;
        if (rem == 0) {
            return true;
        }
        int mask = (0xff << (8 - rem)) & 0xff;
        return (addr[offset + full] & mask) == (net[full] & mask);
    }

    public List<String> ranges() {
        return new ArrayList<>(source);
    }

    @Override
    public String toString() {
        return field + ":cidr" + source;
    }
}
