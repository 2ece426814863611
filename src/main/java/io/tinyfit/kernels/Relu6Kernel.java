package io.tinyfit.kernels;

import io.tinyfit.model.DType;

/**
 * RELU6, as TFLM's {@code activations.cc}: float32 clamps to [0, 6]; int8/int16 {@code Relu6Quantized} clamps
 * the raw input between its own zero point and 6 quantised on the input's scale, and does not requantise to the
 * output's parameters (TFLM ignores them).
 */
final class Relu6Kernel extends ElementwiseKernel {
    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0), out = ctx.output(0);
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("RELU6 from " + t + " to " + out.dtype());
        ElementOrder loop = ElementOrder.unary(in, out, ctx.outputRegion());
        switch (t) {
            case FLOAT32 -> {
                loop.forEach((i, unused, o) -> {
                    float v = in.f32(i);
                    out.setF32(o, v > 6f ? 6f : v < 0f ? 0f : v);
                });
            }
            case INT8, INT16 -> {
                int lower = in.zeroPoint();
                // FloatToQuantizedType: round(6 / scale) + zero point, clamped to the type.
                int six = Math.min(QuantizedMath.qmax(t), Math.max(QuantizedMath.qmin(t), (int) QuantizedMath.round(6.0f / in.scale()) + in.zeroPoint()));
                loop.forEach((i, unused, o) -> {
                    int v = ElementwiseKernels.readInt(in, t, i);
                    ElementwiseKernels.writeInt(out, t, o, v > six ? six : v < lower ? lower : v);
                });
            }
            default -> throw ctx.unsupported("RELU6 on " + t);
        }
    }
}
