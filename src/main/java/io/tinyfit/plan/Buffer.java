package io.tinyfit.plan;

import io.tinyfit.model.Region;

/**
 * A planned buffer: a whole tensor or one region of it, a kernel's scratch buffer, or the accumulator of an
 * operator's partial sums, with its planned size, its bank and offset in that bank, and the steps it spans
 * (closed interval; which of its bytes are live at each step is the verifier's to derive).
 *
 * @param id           index in the plan's buffer list (TFLM's {@code AddBuffer} order for the baseline)
 * @param tensor       the tensor a tensor buffer holds (or an accumulator accumulates for), in subgraph 0; -1 for
 *                     a scratch buffer
 * @param scratchOp    for a scratch buffer, the operator that requested it; for an accumulator, the operator whose
 *                     partial sums it holds; else -1
 * @param scratchIndex for a scratch buffer, its request index within that operator; else -1
 * @param bytes        planned size (rounded up to the plan's alignment)
 * @param rawBytes     the unrounded size the tensor, region or request needs
 * @param region       the part of the tensor it holds, in the tensor's global coordinates, stored densely in
 *                     row-major order; null for the whole tensor (and for scratch buffers)
 * @param bank         the memory it lives in ({@link Bank#SRAM} unless a slower bank holds it)
 */
public record Buffer(int id, int tensor, Kind kind, int scratchOp, int scratchIndex, String name, long rawBytes,
                     long bytes, long offset, int firstStep, int lastStep, Region region, String bank) {

    public enum Kind {
        TENSOR, SCRATCH, ACCUMULATOR;

        public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public Buffer {
        bank = bank == null ? Bank.SRAM : bank;
    }

    /** A whole-tensor or scratch buffer in SRAM. */
    public Buffer(int id, int tensor, Kind kind, int scratchOp, int scratchIndex, String name, long rawBytes,
                  long bytes, long offset, int firstStep, int lastStep) {
        this(id, tensor, kind, scratchOp, scratchIndex, name, rawBytes, bytes, offset, firstStep, lastStep, null, Bank.SRAM);
    }

    public boolean liveAt(int step) { return firstStep <= step && step <= lastStep; }

    public boolean conflictsWith(Buffer o) { return !(firstStep > o.lastStep || o.firstStep > lastStep); }

    public Buffer withOffset(long newOffset) {
        return new Buffer(id, tensor, kind, scratchOp, scratchIndex, name, rawBytes, bytes, newOffset, firstStep, lastStep, region, bank);
    }

    public long end() { return offset + bytes; }

    /** True when it holds all of its tensor. */
    public boolean isWholeTensor() { return kind == Kind.TENSOR && region == null; }

    /** The two address ranges intersect in the same bank (a zero-size buffer strictly inside the other counts, as a pointer into it). */
    public boolean sharesBytesWith(Buffer o) { return bank.equals(o.bank) && offset < o.end() && o.offset < end(); }

    /** How many bytes the two address ranges have in common. */
    public long sharedBytes(Buffer o) { return bank.equals(o.bank) ? Math.max(0, Math.min(end(), o.end()) - Math.max(offset, o.offset)) : 0; }
}
