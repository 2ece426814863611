package io.tinyfit.plan;

/**
 * A planned buffer: a whole tensor or a kernel's scratch buffer, with its planned size, offset in the arena and
 * lifetime in steps (closed interval).
 *
 * @param id           index in the plan's buffer list (TFLM's {@code AddBuffer} order for the baseline)
 * @param tensor       tensor id in subgraph 0, or -1 for a scratch buffer
 * @param scratchOp    for a scratch buffer, the operator index that requested it; else -1
 * @param scratchIndex for a scratch buffer, its request index within that operator; else -1
 * @param bytes        planned size (rounded up to the plan's alignment)
 * @param rawBytes     the unrounded size the tensor or request needs
 */
public record Buffer(int id, int tensor, Kind kind, int scratchOp, int scratchIndex, String name, long rawBytes,
                     long bytes, long offset, int firstStep, int lastStep) {

    public enum Kind {
        TENSOR, SCRATCH;

        public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public boolean liveAt(int step) { return firstStep <= step && step <= lastStep; }

    public boolean conflictsWith(Buffer o) { return !(firstStep > o.lastStep || o.firstStep > lastStep); }

    public Buffer withOffset(long newOffset) {
        return new Buffer(id, tensor, kind, scratchOp, scratchIndex, name, rawBytes, bytes, newOffset, firstStep, lastStep);
    }

    public long end() { return offset + bytes; }

    /** The two address ranges intersect (a zero-size buffer strictly inside the other counts, as a pointer into it). */
    public boolean sharesBytesWith(Buffer o) { return offset < o.end() && o.offset < end(); }

    /** How many bytes the two address ranges have in common. */
    public long sharedBytes(Buffer o) { return Math.max(0, Math.min(end(), o.end()) - Math.max(offset, o.offset)); }
}
