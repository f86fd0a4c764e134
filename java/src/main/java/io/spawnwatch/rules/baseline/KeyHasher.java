package io.spawnwatch.rules.baseline;

import io.spawnwatch.event.EventView;
import io.spawnwatch.event.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hashes the values of some fields of an event into a {@link Key}: SHA-256
 * truncated to 128 bits. A cryptographic hash, because the values are chosen
 * by the attacker: with a fast non-cryptographic hash (Murmur, xxHash) one can
 * craft a malicious command line that collides with a benign one already in
 * the baseline and so is never "new". Each field is written with its kind and
 * length so ("ab","c") and ("a","bc") differ, and absent differs from empty.
 *
 * <p>Only runs for events that matched a rule. Not thread-safe: one per user,
 * under that user's lock.
 */
public final class KeyHasher {
    private static final int BUFFER = 4096;
    private static final int MAX_DOMAINS = 4096;

    private final MessageDigest sha;
    private final byte[] buf = new byte[BUFFER];
    private final byte[] out = new byte[32];
    private int n;
    private final Map<String, byte[]> domains = new IdentityHashMap<>();

    public KeyHasher() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /**
     * @param domain separates keys of different rules and purposes
     */
    public Key hash(String domain, EventView event, List<Field> fields) {
        sha.reset();
        n = 0;
        byte[] d = domainBytes(domain);
        putInt(d.length);
        for (byte b : d) {
            put(b);
        }
        for (int f = 0, count = fields.size(); f < count; f++) {
            Field field = fields.get(f);
            if (field.kind() == Field.Kind.NUMBER) {
                long v = event.number(field);
                put((byte) (v == EventView.ABSENT ? 0 : 1));
                putLong(v);
            } else {
                CharSequence s = event.text(field);
                if (s == null) {
                    put((byte) 0);
                } else {
                    put((byte) 2);
                    putInt(s.length());
                    putChars(s);
                }
            }
        }
        drain();
        try {
            sha.digest(out, 0, out.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        return new Key(readLong(out, 0), readLong(out, 8));
    }

    /**
     * The domain's UTF-8 bytes. Rules pass the same few domain strings every
     * time, so they are kept by identity (cleared if reloads pile up more).
     */
    private byte[] domainBytes(String domain) {
        byte[] d = domains.get(domain);
        if (d == null) {
            if (domains.size() >= MAX_DOMAINS) {
                domains.clear();
            }
            d = domain.getBytes(StandardCharsets.UTF_8);
            domains.put(domain, d);
        }
        return d;
    }

    /** Each char as two bytes, high first: the buffer filled in a local loop, drained when full. */
    private void putChars(CharSequence s) {
        final byte[] b = buf;
        int at = n;
        for (int i = 0, len = s.length(); i < len; i++) {
            if (at > BUFFER - 2) {
                n = at;
                drain();
                at = 0;
            }
            char c = s.charAt(i);
            b[at] = (byte) (c >>> 8);
            b[at + 1] = (byte) c;
            at += 2;
        }
        n = at;
    }

    private void put(byte b) {
        if (n == BUFFER) {
            drain();
        }
        buf[n++] = b;
    }

    private void putInt(int v) {
        put((byte) (v >>> 24));
        put((byte) (v >>> 16));
        put((byte) (v >>> 8));
        put((byte) v);
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void drain() {
        sha.update(buf, 0, n);
        n = 0;
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
