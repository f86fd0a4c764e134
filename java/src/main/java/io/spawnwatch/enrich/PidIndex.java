package io.spawnwatch.enrich;

import java.util.Arrays;

/**
 * pid to slot number, open addressing with linear probing and backward-shift
 * deletion: no boxing and no allocation after construction.
 */
final class PidIndex {
    private static final int EMPTY = 0; // pid 0 is never a user process
    private final int[] pids;
    private final int[] slots;
    private final int mask;

    PidIndex(int capacity) {
        int size = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1) << 1;
        pids = new int[size];
        slots = new int[size];
        mask = size - 1;
    }

    int get(int pid) {
        for (int i = hash(pid); ; i = (i + 1) & mask) {
            int p = pids[i];
            if (p == pid) {
                return slots[i];
            }
            if (p == EMPTY) {
                return -1;
            }
        }
    }

    void put(int pid, int slot) {
        for (int i = hash(pid); ; i = (i + 1) & mask) {
            if (pids[i] == pid || pids[i] == EMPTY) {
                pids[i] = pid;
                slots[i] = slot;
                return;
            }
        }
    }

    void remove(int pid) {
        int i = hash(pid);
        while (pids[i] != pid) {
            if (pids[i] == EMPTY) {
                return;
            }
            i = (i + 1) & mask;
        }
        // Backward shift: move later entries of the same run into the gap.
        int gap = i;
        for (int j = (gap + 1) & mask; pids[j] != EMPTY; j = (j + 1) & mask) {
            int home = hash(pids[j]);
            boolean movable = gap <= j ? (home <= gap || home > j) : (home <= gap && home > j);
            if (movable) {
                pids[gap] = pids[j];
                slots[gap] = slots[j];
                gap = j;
            }
        }
        pids[gap] = EMPTY;
    }

    void clear() {
        Arrays.fill(pids, EMPTY);
    }

    private int hash(int pid) {
        return (pid * 0x9E3779B9) >>> 7 & mask;
    }
}
