package io.spawnwatch.rules.match;

import static io.spawnwatch.rules.match.CaseFolding.maybeFold;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * "Value is one of these": a hash lookup instead of N comparisons. The hash is
 * computed over the (folded) chars of the {@link CharSequence} itself, so a
 * lookup allocates no String; open addressing keeps the table a plain array.
 */
public final class ExactSet implements TextPredicate {
    private final char[][] slots;
    private final int[] hashes;
    private final int mask;
    private final boolean cased;
    private final int size;

    public ExactSet(Collection<String> values, boolean cased) {
        this.cased = cased;
        Set<String> unique = new LinkedHashSet<>();
        for (String v : values) {
            unique.add(cased ? v : CaseFolding.fold(v));
        }
        this.size = unique.size();
        int capacity = Integer.highestOneBit(Math.max(4, size * 2) - 1) << 1;
        this.slots = new char[capacity][];
        this.hashes = new int[capacity];
        this.mask = capacity - 1;
        for (String v : unique) {
            char[] chars = v.toCharArray();
            int h = hash(v, true);
            int i = h & mask;
            while (slots[i] != null) {
                i = (i + 1) & mask;
            }
            slots[i] = chars;
            hashes[i] = h;
        }
    }

    /** FNV-1a over chars; {@code alreadyFolded} skips folding for stored literals. */
    private int hash(CharSequence s, boolean alreadyFolded) {
        int h = 0x811c9dc5;
        for (int i = 0, n = s.length(); i < n; i++) {
            char ch = alreadyFolded ? s.charAt(i) : maybeFold(s.charAt(i), cased);
            h = (h ^ ch) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    @Override
    public boolean test(CharSequence value) {
        final int h = hash(value, false);
        int i = h & mask;
        char[] slot;
        while ((slot = slots[i]) != null) {
            if (hashes[i] == h && equalsFolded(slot, value)) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    private boolean equalsFolded(char[] slot, CharSequence value) {
        if (slot.length != value.length()) {
            return false;
        }
        for (int i = 0; i < slot.length; i++) {
            if (slot[i] != maybeFold(value.charAt(i), cased)) {
                return false;
            }
        }
        return true;
    }

    public int size() {
        return size;
    }

    @Override
    public String toString() {
        return "exactset" + (cased ? "|cased" : "") + "(" + size + " values)";
    }
}
