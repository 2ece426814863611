package io.tinyfit.spill;

/**
 * One tensor out of SRAM over one cold range of the operator order: it moves to a slower memory after the use at
 * position {@code after} (its producer or a reader) and is fetched back into SRAM before the use at {@code before}
 * (or, in a mapped memory, read where it lies by every later reader). Positions index the plan's operator order; no
 * operator strictly between them uses the tensor.
 */
public record Spill(int tensor, int after, int before, String memory, boolean mapped) {
    public Spill {
        if (after < 0 || before <= after + 1) throw new IllegalArgumentException("spill of tensor " + tensor + " over (" + after + ", " + before + ") covers no operator");
    }
}
