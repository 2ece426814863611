package io.tinyfit.layout;

/**
 * Permission for an op's output to share bytes with one of its inputs: allowed exactly when
 * {@code offset(input) - offset(output) >= minDelta}. See {@link MemoryPlanner#allowOverlap}.
 */
public record OverlapAllowance(int output, int input, long minDelta) {

    public OverlapAllowance {
        if (output == input) {
            throw new IllegalArgumentException("a buffer cannot overlap itself: " + output);
        }
        if (minDelta < 0) {
            // A negative delta would mean the input may start below the output; no kernel we
            // model reads that way, and the lower bound's sharing formula assumes it never does.
            throw new IllegalArgumentException("minDelta must be >= 0: " + minDelta);
        }
    }

    /**
     * Bytes the pair can share at most once offsets are aligned: the output starts at least
     * {@code alignUp(minDelta)} below the input, so at most {@code size(output) - that} of it
     * reaches into the input, and never more than the input itself.
     */
    public long maxSharedBytes(Buffer out, Buffer in, int alignment) {
        return maxSharedBytes(out.size(), in.size(), minDelta, alignment);
    }

    /** The same for aligned output and input sizes and a minimum delta, before any buffer exists. */
    public static long maxSharedBytes(long alignedOut, long alignedIn, long minDelta, int alignment) {
        return Math.max(0, Math.min(alignedOut - Alignment.alignUp(minDelta, alignment), alignedIn));
    }
}
