package io.tinyfit.spill;

/**
 * One tensor out of SRAM over one cold range of the operator order: it moves to a slower memory after the use at
 * position {@code after} (its producer or a reader) and is fetched back into SRAM before the use at {@code before}
 * (or, in a mapped memory, read where it lies by every later reader). Positions index the plan's operator order; no
 * operator strictly between them uses the tensor.
 *
 * @param parts 1 to fetch the tensor whole; more for a fused fetch: the reader at {@code before} (its last) runs in
 *              that many row bands of its output, each fetching only the rows of the tensor its band reads into a
 *              small SRAM tile, so the tensor is never whole in SRAM again (rows a window needs twice are fetched twice)
 */
public record Spill(int tensor, int after, int before, String memory, boolean mapped, int parts) {
    public Spill {
        if (after < 0 || before <= after + 1) throw new IllegalArgumentException("spill of tensor " + tensor + " over (" + after + ", " + before + ") covers no operator");
        if (parts < 1 || parts > 1 && mapped) throw new IllegalArgumentException("a spill fetched in " + parts + " parts" + (mapped ? " from a mapped memory" : ""));
    }

    /** Fetched whole (or read in place). */
    public Spill(int tensor, int after, int before, String memory, boolean mapped) { this(tensor, after, before, memory, mapped, 1); }

    public boolean streamed() { return parts > 1; }
}
