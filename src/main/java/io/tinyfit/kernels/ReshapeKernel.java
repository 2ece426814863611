package io.tinyfit.kernels;

import io.tinyfit.model.Tensor;

/**
 * RESHAPE (TFLM {@code micro/kernels/reshape.cc}): a byte copy of the whole input, skipped when input and
 * output share the same bytes. TFLM compares the two data pointers; here two arena views at the same array and
 * base are the same pointer, so a plan that aliases a reshape's input and output makes it free, as in TFLM.
 */
final class ReshapeKernel implements Kernel {
    @Override
    public void prepare(Preparation p) {
        p.inputs(1, 2);
        p.outputs(1, 1);
        check(p, p.input(0), p.output(0));
    }

    /** TFLM's reshape.cc Prepare: a movable dtype, the input's, and equal element counts (the model gives the shape). */
    private static void check(Refusals r, Tensor in, Tensor out) {
        DataMovement.movable(r, in, out, DataMovement.SIZED);
        if (in.shape().numElements() != out.shape().numElements()) {
            throw r.invalid("input " + in.shape() + " has " + in.shape().numElements() + " elements but output " + out.shape() + " has " + out.shape().numElements());
        }
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        check(ctx, in.tensor(), out.tensor());
        if (sameBytes(in, out)) return;
        out.copyBytes(0, in, 0, in.byteSize());
    }

    static boolean sameBytes(View a, View b) {
        return a instanceof ArenaView x && b instanceof ArenaView y && x.mem == y.mem && x.base() == y.base();
    }
}
