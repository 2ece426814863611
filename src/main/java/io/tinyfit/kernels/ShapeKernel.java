package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

/**
 * SHAPE (TFLM {@code micro/kernels/shape.cc}): writes the input's dims, in order, to the output. TFLM only
 * writes int32; an int64 output (out_type int64) is also written here, each dim widened.
 */
final class ShapeKernel implements Kernel {
    @Override
    public void prepare(Preparation p) { check(p); }

    /** TFLM's shape.cc: one input, one int32 (or, beyond TFLM, int64) output with one element per input dimension. */
    private static void check(Refusals r) {
        if (r.op().inputs().size() != 1 || r.op().outputs().size() != 1 || !r.op().hasInput(0)) throw r.invalid("SHAPE takes one input and one output");
        Tensor in = r.graph().tensor(r.op().input(0)), out = r.graph().tensor(r.op().output(0));
        if (out.shape().numElements() != in.shape().rank()) throw r.invalid("output has " + out.shape().numElements() + " elements for an input of rank " + in.shape().rank());
        if (out.dtype() != DType.INT32 && out.dtype() != DType.INT64) throw r.unsupported("output type " + out.dtype().label() + " is not supported (int32 or int64)");
    }

    @Override
    public void eval(OpContext ctx) {
        check(ctx);
        View in = ctx.input(0);
        View out = ctx.output(0);
        for (int i = 0; i < in.rank(); i++) {
            if (out.dtype() == DType.INT32) out.setI32(i, in.dim(i));
            else out.setI64(i, in.dim(i));
        }
    }
}
