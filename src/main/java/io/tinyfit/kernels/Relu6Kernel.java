package io.tinyfit.kernels;

import io.tinyfit.model.DType;

/**
 * RELU6, as TFLM's {@code activations.cc}: float32 clamps to [0, 6]; int8/int16 {@code Relu6Quantized} clamps
 * the raw input between its own zero point and 6 quantised on the input's scale, and does not requantise to the
 * output's parameters (TFLM ignores them).
 */
final class Relu6Kernel extends ElementwiseKernel {
    @Override
    public void prepare(Preparation p) {
        DType t = ElementwiseKernels.prepareUnary(p, DType.FLOAT32, DType.INT8, DType.INT16);
        if (t != DType.FLOAT32) p.quantized(p.input(0), "input");
    }

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
                int[] range = KernelParameters.relu6Range(t, in.scale(), in.zeroPoint());
                int lower = range[0], six = range[1];
                loop.forEach((i, unused, o) -> {
                    int v = ElementwiseKernels.readInt(in, t, i);
                    ElementwiseKernels.writeInt(out, t, o, v > six ? six : v < lower ? lower : v);
                });
            }
            default -> throw ctx.unsupported("RELU6 on " + t);
        }
    }
}
