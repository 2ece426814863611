package io.tinyfit.kernels;

import io.tinyfit.model.DType;

/**
 * MAXIMUM and MINIMUM, as TFLM's {@code maximum_minimum.cc} ({@code MaximumMinimumBroadcastSlow}): a pure
 * selection, no requantisation, with the C comparisons {@code a > b ? a : b} and {@code a < b ? a : b} (so
 * ties and NaNs pick input 2), in float32, int8, int16, int32 and int64.
 */
final class MaximumMinimumKernel extends ElementwiseKernel {
    @Override
    public void prepare(Preparation p) {
        ElementOrder.prepareSameTypes(p, DType.FLOAT32, DType.INT8, DType.INT16, DType.INT32, DType.INT64);
    }

    private final boolean maximum;

    MaximumMinimumKernel(boolean maximum) { this.maximum = maximum; }

    @Override
    public void eval(OpContext ctx) {
        View in1 = ctx.input(0), in2 = ctx.input(1), out = ctx.output(0);
        DType t = out.dtype();
        if (in1.dtype() != t || in2.dtype() != t) {
            throw ctx.unsupported(ctx.op().kind() + " of " + in1.dtype() + " and " + in2.dtype() + " into " + t);
        }
        ElementOrder loop = ElementOrder.binary(in1, in2, out, ctx.outputRegion());
        final boolean max = maximum;
        switch (t) {
            case FLOAT32 -> loop.forEach((i1, i2, o) -> {
                float a = in1.f32(i1), b = in2.f32(i2);
                out.setF32(o, max ? (a > b ? a : b) : (a < b ? a : b));
            });
            case INT8, INT16, INT32 -> loop.forEach((i1, i2, o) -> {
                int a = ElementwiseKernels.readInt(in1, t, i1), b = ElementwiseKernels.readInt(in2, t, i2);
                ElementwiseKernels.writeInt(out, t, o, max ? (a > b ? a : b) : (a < b ? a : b));
            });
            case INT64 -> loop.forEach((i1, i2, o) -> {
                long a = in1.i64(i1), b = in2.i64(i2);
                out.setI64(o, max ? (a > b ? a : b) : (a < b ? a : b));
            });
            default -> throw ctx.unsupported(ctx.op().kind() + " on " + t);
        }
    }
}
