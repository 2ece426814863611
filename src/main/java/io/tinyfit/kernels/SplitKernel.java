package io.tinyfit.kernels;

import io.tinyfit.model.DType;

import java.util.Set;

/**
 * SPLIT (TFLM {@code micro/kernels/split.cc}). The axis is input 0 (a constant scalar) and the data input 1.
 * Every output has output 0's size on the axis; the input is read once, in order, and for each outer index
 * its slabs go to the outputs in turn.
 */
final class SplitKernel implements Kernel {
    static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT8, DType.INT16, DType.INT32);

    @Override
    public void eval(OpContext ctx) {
        View axisView = ctx.input(0);
        View in = ctx.input(1);
        if (axisView == null || in == null) throw ctx.unsupported("axis and input operands are required");
        if (!axisView.tensor().isConstant()) throw ctx.unsupported("non-constant axis tensor is not supported");
        int axis = DataMovement.positiveAxis(ctx, axisView.toIntArray()[0], in.rank(), "axis");
        int esize = DataMovement.elementBytes(ctx, in, "input", TYPES);
        int n = ctx.outputCount();
        View[] outs = new View[n];
        for (int i = 0; i < n; i++) {
            outs[i] = ctx.output(i);
            DataMovement.requireSameType(ctx, in, outs[i], "output " + i);
        }
        // TFLM takes every output's slab size from output 0's dims.
        int perOutput = outs[0].rank() == in.rank() ? outs[0].dim(axis) : -1;
        if (perOutput < 0 || (long) perOutput * n != in.dim(axis)) {
            throw ctx.unsupported(n + " outputs of output 0's shape " + outs[0].shape() + " do not split input " + in.shape() + " on axis " + axis);
        }
        int[] sizes = new int[n];
        java.util.Arrays.fill(sizes, perOutput);
        splitCopy(in, outs, sizes, axis, esize);
    }

    /** The shared loop of SPLIT and SPLIT_V: outer index, then outputs, each a contiguous run of the input. */
    static void splitCopy(View in, View[] outs, int[] axisSizes, int axis, int esize) {
        int[] dims = in.dims();
        int outer = DataMovement.product(dims, 0, axis);
        int inner = DataMovement.product(dims, axis + 1, dims.length);
        int inIndex = 0;
        for (int k = 0; k < outer; k++) {
            for (int i = 0; i < outs.length; i++) {
                int copySize = axisSizes[i] * inner;
                DataMovement.copy(outs[i], k * copySize, in, inIndex, copySize, esize);
                inIndex += copySize;
            }
        }
    }
}
