package io.spawnwatch.rules.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The alphabet of a literal automaton as dense class numbers, so that its
 * transition table is states x classes rather than states x 65536: class 0 is
 * any char no literal has, 1..n the chars that occur. ASCII is a table look-up,
 * anything else a binary search in the few other chars.
 */
final class CharClasses {
    private final byte[] ascii = new byte[128];
    private final char[] otherChars;
    private final int[] otherClass;
    private final int count;

    CharClasses(TreeSet<Character> alphabet) {
        List<Character> others = new ArrayList<>();
        List<Integer> otherClasses = new ArrayList<>();
        int cls = 1;
        for (char ch : alphabet) {
            if (ch < 128) {
                ascii[ch] = (byte) cls;
            } else {
                others.add(ch);
                otherClasses.add(cls);
            }
            cls++;
        }
        this.count = cls;
        this.otherChars = new char[others.size()];
        this.otherClass = new int[others.size()];
        for (int i = 0; i < others.size(); i++) {
            otherChars[i] = others.get(i); // sorted: the alphabet is a TreeSet
            otherClass[i] = otherClasses.get(i);
        }
    }

    /** Classes including class 0: the width of a transition table row. */
    int count() {
        return count;
    }

    /** The class of a char; 0 for a char no literal has. */
    int of(char ch) {
        if (ch < 128) {
            return ascii[ch];
        }
        int i = Arrays.binarySearch(otherChars, ch);
        return i >= 0 ? otherClass[i] : 0;
    }
}
