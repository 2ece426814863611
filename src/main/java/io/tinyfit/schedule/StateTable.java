package io.tinyfit.schedule;

import java.util.Arrays;

/**
 * Open-addressing map from a fixed-width bitset (the set of executed scheduling units) to a long. A
 * {@code HashMap<BitSet, Long>} costs about 150 bytes per state; this costs {@code 2 * (8 * words + 8)}, which is
 * what lets the exact search afford a million states.
 */
final class StateTable {
    static final long ABSENT = Long.MIN_VALUE;

    private final int words;
    private long[] keys;
    private long[] values;
    private int mask;
    private int size;

    StateTable(int words) {
        this.words = words;
        allocate(1 << 10);
    }

    private void allocate(int capacity) {
        keys = new long[capacity * words];
        values = new long[capacity];
        Arrays.fill(values, ABSENT);
        mask = capacity - 1;
    }

    int size() { return size; }

    long get(long[] key) {
        int slot = hash(key) & mask;
        while (values[slot] != ABSENT) {
            if (matches(slot, key)) return values[slot];
            slot = (slot + 1) & mask;
        }
        return ABSENT;
    }

    void put(long[] key, long value) {
        if (value == ABSENT) throw new IllegalArgumentException("reserved value");
        if (2 * (size + 1) > values.length) grow();
        int slot = hash(key) & mask;
        while (values[slot] != ABSENT) {
            if (matches(slot, key)) {
                values[slot] = value;
                return;
            }
            slot = (slot + 1) & mask;
        }
        System.arraycopy(key, 0, keys, slot * words, words);
        values[slot] = value;
        size++;
    }

    private boolean matches(int slot, long[] key) {
        int base = slot * words;
        for (int w = 0; w < words; w++) if (keys[base + w] != key[w]) return false;
        return true;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        allocate(oldValues.length * 2);
        size = 0;
        long[] key = new long[words];
        for (int slot = 0; slot < oldValues.length; slot++) {
            if (oldValues[slot] == ABSENT) continue;
            System.arraycopy(oldKeys, slot * words, key, 0, words);
            put(key, oldValues[slot]);
        }
    }

    private int hash(long[] key) {
        long h = 0x9E3779B97F4A7C15L;
        for (long w : key) {
            h = (h ^ w) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return (int) (h ^ (h >>> 32));
    }
}
