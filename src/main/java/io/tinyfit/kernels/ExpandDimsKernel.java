package io.tinyfit.kernels;

import io.tinyfit.model.DType;

import java.util.Set;

/**
 * EXPAND_DIMS (TFLM {@code micro/kernels/expand_dims.cc}): the axis operand (int32, constant) only shapes the
 * output, which the model already gives; Eval copies every element unconditionally, for float32, int16 and int8.
 */
final class ExpandDimsKernel implements Kernel {
    private static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT16, DType.INT8);

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View axisView = ctx.input(1);
        View out = ctx.output(0);
        int esize = DataMovement.elementBytes(ctx, in, "input", TYPES);
        DataMovement.requireSameType(ctx, in, out, "output");
        verifyOutputShape(ctx, in.dims(), axisView, out.dims());
        DataMovement.copy(out, 0, in, 0, in.elements(), esize);
    }

    /** TFLM's VerifyTensorDim: the output is the input with a 1 inserted at the (wrapped) axis. */
    private static void verifyOutputShape(OpContext ctx, int[] in, View axisView, int[] out) {
        if (axisView == null) throw ctx.unsupported("axis operand is missing");
        if (axisView.rank() > 1) throw ctx.unsupported("axis operand has rank " + axisView.rank() + "; it must hold one element");
        if (axisView.dtype() != DType.INT32) throw ctx.unsupported("axis of type " + axisView.dtype().label() + " is not supported (TFLM accepts int32)");
        if (!axisView.tensor().isConstant()) throw ctx.unsupported("non-constant axis tensor is not supported");
        int axis = axisView.i32(0);
        if (axis < 0) axis = in.length + 1 + axis;
        boolean ok = axis >= 0 && axis <= in.length && out.length == in.length + 1;
        for (int i = 0; ok && i < out.length; i++) {
            int expected = i < axis ? in[i] : i == axis ? 1 : in[i - 1];
            ok = out[i] == expected;
        }
        if (!ok) {
            throw ctx.unsupported("output shape " + java.util.Arrays.toString(out) + " is not input " + java.util.Arrays.toString(in)
                    + " expanded at axis " + axisView.i32(0));
        }
    }
}
