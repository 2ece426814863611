package io.tinyfit.kernels;

/**
 * SPLIT_V (TFLM {@code micro/kernels/split_v.cc}). Inputs are data, size_splits and a constant axis. The kernel
 * reads only the outputs' sizes on the axis (the converter has already resolved a -1 in size_splits into the
 * output shapes); the copy loop is SPLIT's.
 */
final class SplitVKernel implements Kernel {
    @Override
    public void eval(OpContext ctx) {
        if (ctx.inputCount() != 3) throw ctx.unsupported(ctx.inputCount() + " inputs; SPLIT_V takes 3");
        View in = ctx.input(0);
        View axisView = ctx.input(2);
        if (in == null || axisView == null) throw ctx.unsupported("input and axis operands are required");
        if (!axisView.tensor().isConstant()) throw ctx.unsupported("non-constant axis tensor is not supported");
        int axis = DataMovement.positiveAxis(ctx, axisView.toIntArray()[0], in.rank(), "axis");
        int esize = DataMovement.elementBytes(ctx, in, "input", SplitKernel.TYPES);
        int n = ctx.outputCount();
        View[] outs = new View[n];
        int[] sizes = new int[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            outs[i] = ctx.output(i);
            DataMovement.requireSameType(ctx, in, outs[i], "output " + i);
            if (outs[i].rank() != in.rank()) throw ctx.unsupported("output " + i + " rank " + outs[i].rank() + " differs from the input's " + in.rank());
            sizes[i] = outs[i].dim(axis);
            total += sizes[i];
        }
        if (total != in.dim(axis)) throw ctx.unsupported("outputs add up to " + total + " on axis " + axis + " but the input has " + in.dim(axis));
        SplitKernel.splitCopy(in, outs, sizes, axis, esize);
    }
}
