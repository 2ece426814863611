package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

import java.util.Set;

/**
 * EXPAND_DIMS (TFLM {@code micro/kernels/expand_dims.cc}): the axis operand (int32, constant) only shapes the
 * output, which the model already gives; Eval copies every element unconditionally, for float32, int16 and int8.
 */
final class ExpandDimsKernel implements Kernel {
    private static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT16, DType.INT8);

    @Override
    public void prepare(Preparation p) {
        p.inputs(2, 2);
        p.outputs(1, 1);
        check(p, p.input(0), p.input(1), p.output(0));
    }

    /** TFLM's Prepare and VerifyTensorDim: a constant int32 axis of one element, the output the input with a 1 inserted there. */
    private static int check(Refusals r, Tensor in, Tensor axisTensor, Tensor out) {
        int esize = DataMovement.movable(r, in, out, TYPES);
        if (axisTensor == null) throw r.invalid("axis operand is missing");
        if (axisTensor.shape().rank() > 1) throw r.invalid("axis operand has rank " + axisTensor.shape().rank() + "; it must hold one element");
        if (axisTensor.dtype() != DType.INT32) throw r.unsupported("axis of type " + axisTensor.dtype().label() + " is not supported (TFLM accepts int32)");
        int[] axes = DataMovement.constantInts(r, axisTensor, "axis");
        if (axes.length != 1) throw r.invalid("axis operand holds " + axes.length + " values; it must hold one");
        int[] inDims = in.shape().toArray(), outDims = out.shape().toArray();
        int axis = axes[0] < 0 ? inDims.length + 1 + axes[0] : axes[0];
        boolean ok = axis >= 0 && axis <= inDims.length && outDims.length == inDims.length + 1;
        for (int i = 0; ok && i < outDims.length; i++) {
            int expected = i < axis ? inDims[i] : i == axis ? 1 : inDims[i - 1];
            ok = outDims[i] == expected;
        }
        if (!ok) {
            throw r.invalid("output shape " + java.util.Arrays.toString(outDims) + " is not input " + java.util.Arrays.toString(inDims) + " expanded at axis " + axes[0]);
        }
        return esize;
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        int esize = check(ctx, in.tensor(), DataMovement.optionalTensor(ctx, 1), out.tensor());
        DataMovement.copy(out, 0, in, 0, in.elements(), esize);
    }
}
