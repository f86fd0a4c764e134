package io.spawnwatch.rules.baseline;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hashing;
import io.spawnwatch.event.EventView;
import io.spawnwatch.event.Field;
import io.spawnwatch.event.SegmentText;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hashes the values of some fields of an event into a 128-bit {@link Key}:
 * XXH3-128 (hash4j) with a secret 64-bit seed, over one buffer that holds the
 * domain and each field with its kind and length, so ("ab","c") and
 * ("a","bc") differ and absent differs from empty.
 *
 * <p>Why a non-cryptographic hash is enough here (it was SHA-256, 5-10 times
 * the cost per key). Keys stand for values the attacker may choose, and a
 * collision makes two values one baseline entry, so the later one looks
 * already seen. By chance: the keys of one table are at most
 * {@code detection.baseline_max_entries} (65,536 by default; the repeat
 * suppression holds at most {@code suppression.max_keys}), and the
 * probability that any two of n keys collide is at most n^2 / 2^129, about
 * 2^-97 for n = 2^16 (and 2^-89 for a million keys): never, for a sensor. On
 * purpose: the seed is random per baseline store (kept in it, a file only
 * root reads), so the attacker sees neither the seed nor any key and cannot
 * aim a value at a key already in a table (a second preimage of an unknown
 * value). What a seed cannot rule out are pairs of values that collide under
 * every seed, if such exist for XXH3; such a pair only lets the second value
 * ride on the first, which has then been seen, i.e. has already alerted or
 * been learned; and the signature rules, which keep no state, still alert on
 * both.
 *
 * <p>Only runs for events that matched a rule. Not thread-safe: one per user,
 * under that user's lock. Its buffers grow to the largest key (a key is
 * bounded by the record's field sizes) and are reused; the one allocation
 * left per key is hash4j's 32-byte result object, which the JIT does not
 * scalar-replace (XXH3 is too large to inline): short-lived, so the young
 * collector frees it without copying (KeyTableBenchmark, -prof gc).
 */
public final class KeyHasher {
    private static final int MAX_DOMAINS = 4096;
    private static final byte ABSENT = 0;
    private static final byte NUMBER = 1;
    /** Text whose chars all fit one byte (always, for text from kernel records): one byte per char. */
    private static final byte TEXT_LATIN1 = 2;
    /** Text with a char above 0xff: two bytes per char, high first. */
    private static final byte TEXT_UTF16 = 3;

    private final Hasher128 xxh3;
    private final long seed;
    private byte[] buf = new byte[1024];
    private byte[] scratch = new byte[1024];
    private int n;
    private long hi;
    private long lo;
    private final Map<String, byte[]> domains = new IdentityHashMap<>();

    /** @param seed the secret seed (see the class comment); the same seed gives the same keys */
    public KeyHasher(long seed) {
        this.seed = seed;
        this.xxh3 = Hashing.xxh3_128(seed);
    }

    /** The seed this hasher keys with. */
    public long seed() {
        return seed;
    }

    /**
     * @param domain separates keys of different rules and purposes
     * @return the key; {@link #hashInto} gives the same without the Key object
     */
    public Key hash(String domain, EventView event, List<Field> fields) {
        hashInto(domain, event, fields);
        return new Key(hi, lo);
    }

    /** Hashes as {@link #hash} and keeps the key in {@link #hi()} and {@link #lo()}: allocates nothing. */
    public void hashInto(String domain, EventView event, List<Field> fields) {
        n = 0;
        byte[] d = domainBytes(domain);
        putInt(d.length);
        ensure(d.length);
        System.arraycopy(d, 0, buf, n, d.length);
        n += d.length;
        for (int f = 0, count = fields.size(); f < count; f++) {
            Field field = fields.get(f);
            if (field.kind() == Field.Kind.NUMBER) {
                long v = event.number(field);
                ensure(9);
                buf[n++] = v == EventView.ABSENT ? ABSENT : NUMBER;
                putLong(v);
            } else {
                putText(event.text(field));
            }
        }
        HashValue128 h = xxh3.hashBytesTo128Bits(buf, 0, n);
        hi = h.getMostSignificantBits();
        lo = h.getLeastSignificantBits();
    }

    /** The high 64 bits of the last key hashed by {@link #hashInto}. */
    public long hi() {
        return hi;
    }

    /** The low 64 bits of the last key hashed by {@link #hashInto}. */
    public long lo() {
        return lo;
    }

    /** Kind, length, then the chars: one byte each when they all fit one, else two. */
    private void putText(CharSequence s) {
        if (s == null) {
            ensure(1);
            buf[n++] = ABSENT;
            return;
        }
        int len = s.length();
        ensure(5 + 2 * len);
        final byte[] b = buf;
        final int kindAt = n;
        if (s instanceof SegmentText bytes) {
            // Text from a record: one byte per char by construction, copied in bulk.
            int copied = bytes.copyTo(scratch(len));
            b[kindAt] = TEXT_LATIN1;
            n = kindAt + 1;
            putInt(len);
            System.arraycopy(scratch, 0, b, n, copied);
            n += copied;
            return;
        }
        int at = kindAt + 5;
        int any = 0;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            any |= c;
            b[at++] = (byte) c;
        }
        byte kind = TEXT_LATIN1;
        if (any > 0xff) {
            kind = TEXT_UTF16;
            at = kindAt + 5;
            for (int i = 0; i < len; i++) {
                char c = s.charAt(i);
                b[at] = (byte) (c >>> 8);
                b[at + 1] = (byte) c;
                at += 2;
            }
        }
        b[kindAt] = kind;
        n = kindAt + 1;
        putInt(len);
        n = at;
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

    /** A buffer of at least {@code length} bytes for {@link SegmentText#copyTo}. */
    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        return scratch;
    }

    private void ensure(int more) {
        if (n + more > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
        }
    }

    private void putInt(int v) {
        ensure(4);
        buf[n] = (byte) (v >>> 24);
        buf[n + 1] = (byte) (v >>> 16);
        buf[n + 2] = (byte) (v >>> 8);
        buf[n + 3] = (byte) v;
        n += 4;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }
}
