package io.tinyfit.kernels;

import io.tinyfit.model.DType;

/**
 * SHAPE (TFLM {@code micro/kernels/shape.cc}): writes the input's dims, in order, to the output. TFLM only
 * writes int32; an int64 output (out_type int64) is also written here, each dim widened.
 */
final class ShapeKernel implements Kernel {
    @Override
    public void eval(OpContext ctx) {
        if (ctx.inputCount() != 1 || ctx.outputCount() != 1) throw ctx.unsupported("SHAPE takes one input and one output");
        View in = ctx.input(0);
        View out = ctx.output(0);
        if (out.elements() != in.rank()) throw ctx.unsupported("output has " + out.elements() + " elements for an input of rank " + in.rank());
        if (out.dtype() == DType.INT32) {
            for (int i = 0; i < in.rank(); i++) out.setI32(i, in.dim(i));
        } else if (out.dtype() == DType.INT64) {
            for (int i = 0; i < in.rank(); i++) out.setI64(i, in.dim(i));
        } else {
            throw ctx.unsupported("output type " + out.dtype().label() + " is not supported (int32 or int64)");
        }
    }
}
