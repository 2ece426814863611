package io.tinyfit.kernels;

import io.tinyfit.model.Tensor;

/**
 * SPLIT_V (TFLM {@code micro/kernels/split_v.cc}). Inputs are data, size_splits and a constant axis. The kernel
 * reads only the outputs' sizes on the axis (the converter has already resolved a -1 in size_splits into the
 * output shapes); the copy loop is SPLIT's.
 */
final class SplitVKernel implements Kernel {
    @Override
    public void prepare(Preparation p) {
        p.outputs(1, Integer.MAX_VALUE);
        check(p);
    }

    /**
     * TFLM's split_v.cc: data, size_splits and a constant axis in range; outputs of the input's dtype and rank
     * whose sizes on the axis add up to the input's, equal elsewhere. Returns {axis, element bytes}.
     */
    private static int[] check(Refusals r) {
        if (r.op().inputs().size() != 3) throw r.invalid(r.op().inputs().size() + " inputs; SPLIT_V takes 3");
        Tensor in = DataMovement.optionalTensor(r, 0);
        if (in == null) throw r.invalid("the input operand is missing");
        int axis = DataMovement.positiveAxis(r, SplitKernel.first(r, DataMovement.constantInts(r, DataMovement.optionalTensor(r, 2), "axis")), in.shape().rank(), "axis");
        int esize = DataMovement.elementBytes(r, in, "input", SplitKernel.TYPES);
        long total = 0;
        for (int i = 0; i < r.op().outputs().size(); i++) {
            Tensor out = r.graph().tensor(r.op().output(i));
            DataMovement.requireSameType(r, in, out, "output " + i);
            if (out.shape().rank() != in.shape().rank()) throw r.invalid("output " + i + " rank " + out.shape().rank() + " differs from the input's " + in.shape().rank());
            for (int d = 0; d < in.shape().rank(); d++) {
                if (d != axis && out.shape().dim(d) != in.shape().dim(d)) throw r.invalid("output " + i + " shape " + out.shape() + " does not fit input " + in.shape() + " off axis " + axis);
            }
            total += out.shape().dim(axis);
        }
        if (total != in.shape().dim(axis)) throw r.invalid("outputs add up to " + total + " on axis " + axis + " but the input has " + in.shape().dim(axis));
        return new int[] {axis, esize};
    }

    @Override
    public void eval(OpContext ctx) {
        int[] c = check(ctx);
        int n = ctx.outputCount();
        View[] outs = new View[n];
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            outs[i] = ctx.output(i);
            sizes[i] = outs[i].dim(c[0]);
        }
        SplitKernel.splitCopy(ctx.input(0), outs, sizes, c[0], c[1]);
    }
}
