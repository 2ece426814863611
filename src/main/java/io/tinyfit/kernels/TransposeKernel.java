package io.tinyfit.kernels;

import io.tinyfit.model.DType;

import java.util.Arrays;
import java.util.Set;

/**
 * TRANSPOSE (TFLM {@code micro/kernels/transpose.cc} over {@code reference_ops::Transpose}). The reference
 * recursion walks the output in row-major order, writing it sequentially, and follows the input with the stride
 * of the permuted dimension; the innermost output dimension reads the input at stride
 * {@code input_stride[perm[last]]}. This is the same walk as a loop nest with an odometer of output indices.
 * When that innermost stride is 1 the run is contiguous on both sides and is copied at once.
 */
final class TransposeKernel implements Kernel {
    private static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT8, DType.INT16);
    /** {@code kTransposeMaxDimensions} of the reference kernel. */
    private static final int MAX_DIMS = 6;

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View permView = ctx.input(1);
        View out = ctx.output(0);
        int esize = DataMovement.elementBytes(ctx, in, "input", TYPES);
        DataMovement.requireSameType(ctx, in, out, "output");
        int dims = in.rank();
        if (dims > MAX_DIMS) throw ctx.unsupported("input rank " + dims + " exceeds " + MAX_DIMS);
        if (permView == null || !permView.tensor().isConstant()) throw ctx.unsupported("non-constant perm tensor is not supported");
        if (permView.rank() != 1 || permView.dim(0) != dims) throw ctx.unsupported("perm of shape " + permView.shape() + " does not match input rank " + dims);
        int[] perm = permView.toIntArray();
        int[] inDims = in.dims();
        int[] outDims = out.dims();
        boolean ok = outDims.length == dims;
        for (int i = 0; i < dims && ok; i++) ok = perm[i] >= 0 && perm[i] < dims && outDims[i] == inDims[perm[i]];
        if (!ok) throw ctx.unsupported("perm " + Arrays.toString(perm) + " does not map input " + Arrays.toString(inDims) + " to output " + Arrays.toString(outDims));

        if (in.elements() == 0) return;
        if (dims == 0) {
            DataMovement.copy(out, 0, in, 0, 1, esize);
            return;
        }
        int[] inStride = new int[dims];
        inStride[dims - 1] = 1;
        for (int i = dims - 2; i >= 0; i--) inStride[i] = inStride[i + 1] * inDims[i + 1];

        int last = dims - 1;
        int lastSize = outDims[last];
        int lastStride = inStride[perm[last]];
        int[] idx = new int[dims];
        int inBase = 0;
        int o = 0;
        while (true) {
            if (lastStride == 1) {
                DataMovement.copy(out, o, in, inBase, lastSize, esize);
            } else {
                for (int i = 0; i < lastSize; i++) DataMovement.copy(out, o + i, in, inBase + i * lastStride, 1, esize);
            }
            o += lastSize;
            int d = last - 1;
            while (d >= 0) {
                idx[d]++;
                inBase += inStride[perm[d]];
                if (idx[d] < outDims[d]) break;
                inBase -= idx[d] * inStride[perm[d]];
                idx[d] = 0;
                d--;
            }
            if (d < 0) return;
        }
    }
}
