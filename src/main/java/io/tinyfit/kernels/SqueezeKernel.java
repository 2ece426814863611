package io.tinyfit.kernels;

/**
 * SQUEEZE (TFLM {@code micro/kernels/squeeze.cc}): after Prepare has checked the squeezed dims, Eval copies
 * the input's bytes to the output unconditionally (unlike RESHAPE, there is no in-place shortcut).
 */
final class SqueezeKernel implements Kernel {
    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        DataMovement.elementBytes(ctx, in, "input", DataMovement.SIZED);
        DataMovement.requireSameType(ctx, in, out, "output");
        checkSqueezeDims(ctx, in.dims(), ctx.op().options().getInts("squeezeDims"));
        // TFLM's Eval: TF_LITE_ENSURE_EQ(input_byte_size, output_byte_size), then memcpy.
        if (in.byteSize() != out.byteSize()) {
            throw ctx.unsupported("input has " + in.byteSize() + " bytes but output has " + out.byteSize());
        }
        out.copyBytes(0, in, 0, in.byteSize());
    }

    /** TFLM's SqueezePrepare: at most 8 dims, and every listed dim (negative counts from the end) has size 1. */
    private static void checkSqueezeDims(OpContext ctx, int[] inDims, int[] squeezeDims) {
        if (inDims.length > 8) throw ctx.unsupported("input rank " + inDims.length + " exceeds 8");
        for (int d : squeezeDims) {
            int current = d < 0 ? d + inDims.length : d;
            if (current < 0 || current >= inDims.length || inDims[current] != 1) {
                throw ctx.unsupported("squeeze dim " + d + " does not name a dimension of size 1 in " + java.util.Arrays.toString(inDims));
            }
        }
    }
}
