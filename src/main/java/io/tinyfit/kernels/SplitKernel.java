package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

import java.util.Set;

/**
 * SPLIT (TFLM {@code micro/kernels/split.cc}). The axis is input 0 (a constant scalar) and the data input 1.
 * Every output has output 0's size on the axis; the input is read once, in order, and for each outer index
 * its slabs go to the outputs in turn.
 */
final class SplitKernel implements Kernel {
    static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT8, DType.INT16, DType.INT32);

    @Override
    public void prepare(Preparation p) {
        p.inputs(2, 2);
        p.outputs(1, Integer.MAX_VALUE);
        check(p);
    }

    /**
     * TFLM's split.cc: a constant axis (input 0) in range, outputs of the input's dtype, each with output 0's size
     * on the axis, together the input's. Returns {axis, slab size per output, element bytes}.
     */
    private static int[] check(Refusals r) {
        Tensor in = DataMovement.optionalTensor(r, 1);
        if (in == null) throw r.invalid("the input operand is missing");
        int axis = DataMovement.positiveAxis(r, first(r, DataMovement.constantInts(r, DataMovement.optionalTensor(r, 0), "axis")), in.shape().rank(), "axis");
        int esize = DataMovement.elementBytes(r, in, "input", TYPES);
        int n = r.op().outputs().size();
        Tensor out0 = r.graph().tensor(r.op().output(0));
        for (int i = 0; i < n; i++) {
            Tensor out = r.graph().tensor(r.op().output(i));
            DataMovement.requireSameType(r, in, out, "output " + i);
            if (!out.shape().equals(out0.shape())) throw r.invalid("output " + i + " shape " + out.shape() + " differs from output 0's " + out0.shape());
        }
        // TFLM takes every output's slab size from output 0's dims.
        int perOutput = out0.shape().rank() == in.shape().rank() ? out0.shape().dim(axis) : -1;
        if (perOutput < 0 || (long) perOutput * n != in.shape().dim(axis)) {
            throw r.invalid(n + " outputs of output 0's shape " + out0.shape() + " do not split input " + in.shape() + " on axis " + axis);
        }
        return new int[] {axis, perOutput, esize};
    }

    /** The first value of an axis operand, which must have one. */
    static int first(Refusals r, int[] values) {
        if (values.length == 0) throw r.invalid("the axis operand is empty");
        return values[0];
    }

    @Override
    public void eval(OpContext ctx) {
        int[] c = check(ctx);
        int n = ctx.outputCount();
        View[] outs = new View[n];
        for (int i = 0; i < n; i++) outs[i] = ctx.output(i);
        int[] sizes = new int[n];
        java.util.Arrays.fill(sizes, c[1]);
        splitCopy(ctx.input(1), outs, sizes, c[0], c[2]);
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
