package io.tinyfit.kernels;

import io.tinyfit.model.Tensor;

/**
 * SQUEEZE (TFLM {@code micro/kernels/squeeze.cc}): after Prepare has checked the squeezed dims, Eval copies
 * the input's bytes to the output unconditionally (unlike RESHAPE, there is no in-place shortcut).
 */
final class SqueezeKernel implements Kernel {
    @Override
    public void prepare(Preparation p) {
        p.inputs(1, 1);
        p.outputs(1, 1);
        check(p, p.input(0), p.output(0));
    }

    /**
     * TFLM's SqueezePrepare: at most 8 dims, every listed dim (negative counts from the end) has size 1, and
     * (its Eval's check) input and output have the same byte size.
     */
    private static void check(Refusals r, Tensor in, Tensor out) {
        DataMovement.movable(r, in, out, DataMovement.SIZED);
        int[] inDims = in.shape().toArray();
        if (inDims.length > 8) throw r.unsupported("input rank " + inDims.length + " exceeds 8");
        for (int d : r.op().options().getInts("squeezeDims")) {
            int current = d < 0 ? d + inDims.length : d;
            if (current < 0 || current >= inDims.length || inDims[current] != 1) {
                throw r.invalid("squeeze dim " + d + " does not name a dimension of size 1 in " + java.util.Arrays.toString(inDims));
            }
        }
        if (in.bytes() != out.bytes()) throw r.invalid("input has " + in.bytes() + " bytes but output has " + out.bytes());
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        check(ctx, in.tensor(), out.tensor());
        out.copyBytes(0, in, 0, in.byteSize());
    }
}
