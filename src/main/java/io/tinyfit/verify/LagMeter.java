package io.tinyfit.verify;

import io.tinyfit.exec.AccessListener;

/**
 * Streams a kernel's accesses to its input I and output O and keeps the largest "lag": over every read of an
 * input byte r that comes after a write reaching output byte w, the value {@code w - r}. With O placed
 * {@code delta} bytes below I, output byte w lands on input byte {@code w - delta}; the placement is safe when
 * every write lands below every input byte still to be read later, i.e. {@code w - delta < r} for all such
 * pairs, so the smallest safe delta is {@code maxLag + 1} (and 0 when no read follows a write). Equivalent to
 * the backward "lowest future read" scan of the literature, in one forward pass and constant memory.
 */
final class LagMeter {
    private long maxWritten = Long.MIN_VALUE;
    private long maxLag = Long.MIN_VALUE;
    private long reads;
    private long writes;

    final AccessListener inputReads = new AccessListener() {
        @Override public void read(int byteOffset, int width) {
            reads++;
            if (maxWritten != Long.MIN_VALUE) maxLag = Math.max(maxLag, maxWritten - byteOffset);
        }

        @Override public void write(int byteOffset, int width) {
            throw new IllegalStateException("kernel writes its input at byte " + byteOffset);
        }
    };

    final AccessListener outputWrites = new AccessListener() {
        @Override public void read(int byteOffset, int width) {
            // reading back its own output is harmless: those bytes were written by the kernel itself
        }

        @Override public void write(int byteOffset, int width) {
            writes++;
            maxWritten = Math.max(maxWritten, byteOffset + width - 1L);
        }
    };

    /** Smallest safe delta in bytes, not yet capped at the output size. */
    long minDelta() { return maxLag == Long.MIN_VALUE ? 0 : Math.max(0, maxLag + 1); }

    long reads() { return reads; }

    long writes() { return writes; }
}
