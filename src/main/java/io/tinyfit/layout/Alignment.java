package io.tinyfit.layout;

/** Rounding helpers for power-of-two-free alignments (any positive byte count works). */
public final class Alignment {

    private Alignment() {
    }

    /** Smallest multiple of {@code alignment} that is {@code >= value}; works for negatives. */
    public static long alignUp(long value, int alignment) {
        return Math.floorDiv(value + alignment - 1, alignment) * alignment;
    }

    /** Largest multiple of {@code alignment} that is {@code <= value}; works for negatives. */
    public static long alignDown(long value, int alignment) {
        return Math.floorDiv(value, alignment) * alignment;
    }

    static int requireValid(int alignment) {
        if (alignment < 1) {
            throw new IllegalArgumentException("alignment must be positive: " + alignment);
        }
        return alignment;
    }
}
