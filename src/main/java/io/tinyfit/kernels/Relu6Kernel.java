package io.tinyfit.kernels;

import io.tinyfit.model.DType;

/**
 * RELU6, as TFLM's {@code activations.cc}: float32 clamps to [0, 6]; int8/int16 {@code Relu6Quantized} clamps
 * the raw input between its own zero point and 6 quantised on the input's scale, and does not requantise to the
 * output's parameters (TFLM ignores them).
 */
final class Relu6Kernel implements Kernel {
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
        int n = in.elements();
        switch (t) {
            case FLOAT32 -> {
                for (int i = 0; i < n; i++) {
                    float v = in.f32(i);
                    out.setF32(i, v > 6f ? 6f : v < 0f ? 0f : v);
                }
            }
            case INT8, INT16 -> {
                int[] range = KernelParameters.relu6Range(t, in.scale(), in.zeroPoint());
                int lower = range[0], six = range[1];
                for (int i = 0; i < n; i++) {
                    int v = ElementwiseKernels.readInt(in, t, i);
                    ElementwiseKernels.writeInt(out, t, i, v > six ? six : v < lower ? lower : v);
                }
            }
            default -> throw ctx.unsupported("RELU6 on " + t);
        }
    }
}
