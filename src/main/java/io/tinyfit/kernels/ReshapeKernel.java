package io.tinyfit.kernels;

/**
 * RESHAPE (TFLM {@code micro/kernels/reshape.cc}): a byte copy of the whole input, skipped when input and
 * output share the same bytes. TFLM compares the two data pointers; here two arena views at the same array and
 * base are the same pointer, so a plan that aliases a reshape's input and output makes it free, as in TFLM.
 */
final class ReshapeKernel implements Kernel {
    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        DataMovement.elementBytes(ctx, in, "input", DataMovement.SIZED);
        DataMovement.requireSameType(ctx, in, out, "output");
        // TFLM's Prepare requires equal element counts (the output shape comes from the model).
        if (in.elements() != out.elements()) {
            throw ctx.unsupported("input has " + in.elements() + " elements but output has " + out.elements());
        }
        if (sameBytes(in, out)) return;
        out.copyBytes(0, in, 0, in.byteSize());
    }

    static boolean sameBytes(View a, View b) {
        return a instanceof ArenaView x && b instanceof ArenaView y && x.mem == y.mem && x.base() == y.base();
    }
}
