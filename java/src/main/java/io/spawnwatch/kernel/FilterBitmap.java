package io.spawnwatch.kernel;

import io.spawnwatch.libbpf.BpfMap;
import io.spawnwatch.sys.LibC;
import io.spawnwatch.sys.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * User space's side of a filter bitmap of bpf/spawnwatch.bpf.c ({@code lineage_bits}, {@code web_uid_bits}): a
 * {@code BPF_MAP_TYPE_ARRAY} of u64 words created {@code BPF_F_MMAPABLE}, mapped shared here. Bit n (word n / 64,
 * bit n % 64 of the native-order word) set means "key n may be in the hash map beside the bitmap": the kernel's
 * hooks answer "no" from a clear bit without hashing, and ask the hash map when it is set. Whoever adds a key to
 * that hash map sets its bit first, so that a clear bit is never wrong; a stale set bit only costs the kernel one
 * hash lookup.
 *
 * <p>Bits are set and cleared with atomic read-modify-write operations on the shared mapping: the kernel's fork,
 * exec and exit hooks change other bits of the same words at the same time, and a plain map update of a word
 * from here would undo theirs.
 */
public final class FilterBitmap {
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment words;

    /** Over {@code words} (8-byte aligned, a multiple of 8 bytes long), which the kernel may share. */
    FilterBitmap(MemorySegment words) {
        if (words.byteSize() % Long.BYTES != 0 || words.address() % Long.BYTES != 0) {
            throw new IllegalArgumentException("filter bitmap: byteSize=" + words.byteSize() + " address="
                    + words.address() + ": expected 8-byte aligned u64 words");
        }
        this.words = words;
    }

    /**
     * Maps a loaded bitmap map read-write and shared; the mapping goes when {@code arena} closes.
     *
     * @throws NativeException when mmap fails (e.g. EINVAL: the map is not BPF_F_MMAPABLE)
     */
    static FilterBitmap map(Arena arena, BpfMap map) throws NativeException {
        long bytes = (long) map.maxEntries() * Long.BYTES;
        long page = LibC.pageSize();
        long mapped = (bytes + page - 1) / page * page; // the kernel maps whole pages of the array's values
        MemorySegment all = LibC.mmap(arena, mapped, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, map.fd(), 0,
                "filter bitmap: mmap map " + map.name() + " fd=" + map.fd());
        return new FilterBitmap(all.asSlice(0, bytes));
    }

    /**
     * Words of 64 bits for keys 0 to {@code keys - 1}, e.g. pid_max, at least one.
     *
     * @throws IllegalArgumentException when keys is not positive or needs more than Integer.MAX_VALUE words
     */
    static int wordsFor(long keys) {
        long n = (keys + Long.SIZE - 1) / Long.SIZE;
        if (keys <= 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("filter bitmap: keys=" + keys + ": expected 1 to "
                    + (long) Integer.MAX_VALUE * Long.SIZE);
        }
        return (int) n;
    }

    /** How many keys it has a bit for; larger keys always ask the hash map. */
    public long bits() {
        return words.byteSize() * Byte.SIZE;
    }

    /** Sets key's bit (nothing for a key past the end: the kernel asks the hash map for those anyway). */
    public void set(long key) {
        if (inRange(key)) {
            WORD.getAndBitwiseOr(words, offset(key), mask(key));
        }
    }

    /** Clears key's bit; only for a key that is no longer in the hash map. */
    public void clear(long key) {
        if (inRange(key)) {
            WORD.getAndBitwiseAnd(words, offset(key), ~mask(key));
        }
    }

    /** Whether the kernel would ask the hash map for key: its bit is set, or it is past the end. */
    public boolean mayContain(long key) {
        return !inRange(key) || ((long) WORD.getAcquire(words, offset(key)) & mask(key)) != 0;
    }

    private boolean inRange(long key) {
        return key >= 0 && key < bits();
    }

    private static long offset(long key) {
        return key / Long.SIZE * Long.BYTES;
    }

    private static long mask(long key) {
        return 1L << (key % Long.SIZE);
    }
}
