package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

/**
 * RELU, as TFLM's {@code activations.cc}: float32 {@code val < 0 ? 0 : val} (NaN and -0.0 pass through), and
 * int8/int16 {@code ReluQuantized}, which requantises with {@code QuantizeMultiplier(s_in/s_out)} and clamps to
 * {@code [max(qmin, zp_out), qmax]}.
 */
final class ReluKernel extends ElementwiseKernel {
    @Override
    public void prepare(Preparation p) {
        DType t = ElementwiseKernels.prepareUnary(p, DType.FLOAT32, DType.INT8, DType.INT16);
        if (t == DType.FLOAT32) return;
        Tensor in = p.input(0), out = p.output(0);
        if (t == DType.INT16) {
            p.zeroPoint(in, "input", 0);
            p.zeroPoint(out, "output", 0);
        }
        p.multiplier((double) p.quantized(in, "input").scale() / (double) p.quantized(out, "output").scale(), "output");
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0), out = ctx.output(0);
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("RELU from " + t + " to " + out.dtype());
        ElementOrder loop = ElementOrder.unary(in, out, ctx.outputRegion());
        switch (t) {
            case FLOAT32 -> {
                loop.forEach((i, unused, o) -> {
                    float v = in.f32(i);
                    out.setF32(o, v < 0f ? 0f : v);
                });
            }
            case INT8, INT16 -> {
                if (t == DType.INT16 && (in.zeroPoint() != 0 || out.zeroPoint() != 0)) {
                    throw ctx.unsupported("int16 RELU needs zero points 0");
                }
                int[] m = KernelParameters.requantize(in.scale(), out.scale());
                int mul = m[0], shift = m[1];
                int inOff = in.zeroPoint(), outOff = out.zeroPoint();
                int[] range = KernelParameters.reluRange(t, outOff);
                int lo = range[0], hi = range[1];
                loop.forEach((i, unused, o) -> {
                    int v = ElementwiseKernels.readInt(in, t, i);
                    int r = outOff + QuantizedMath.multiplyByQuantizedMultiplier(v - inOff, mul, shift);
                    r = Math.max(lo, r);
                    r = Math.min(hi, r);
                    ElementwiseKernels.writeInt(out, t, o, r);
                });
            }
            default -> throw ctx.unsupported("RELU on " + t);
        }
    }
}
