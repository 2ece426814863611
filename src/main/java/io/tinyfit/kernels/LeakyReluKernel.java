package io.tinyfit.kernels;

import io.tinyfit.model.DType;

/**
 * LEAKY_RELU, as TFLM's {@code leaky_relu.cc}: float32 {@code val > 0 ? val : val * alpha}; int8/int16
 * {@code QuantizeLeakyRelu} with two multipliers, the identity one for non-negative inputs and the alpha one
 * (possibly negative) otherwise, both derived from single-precision scale ratios.
 */
final class LeakyReluKernel extends ElementwiseKernel {
    @Override
    public void prepare(Preparation p) {
        DType t = ElementwiseKernels.prepareUnary(p, DType.FLOAT32, DType.INT8, DType.INT16);
        float alpha = p.floatOption("alpha");
        if (t == DType.FLOAT32) return;
        float inScale = p.quantized(p.input(0), "input").scale(), outScale = p.quantized(p.output(0), "output").scale();
        p.multiplier((double) (inScale * alpha / outScale), "alpha");
        p.multiplier((double) (inScale / outScale), "identity");
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0), out = ctx.output(0);
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("LEAKY_RELU from " + t + " to " + out.dtype());
        float alpha = ctx.op().options().getFloat("alpha");
        ElementOrder loop = ElementOrder.unary(in, out, ctx.outputRegion());
        switch (t) {
            case FLOAT32 -> {
                loop.forEach((i, unused, o) -> {
                    float v = in.f32(i);
                    out.setF32(o, v > 0f ? v : v * alpha);
                });
            }
            case INT8, INT16 -> {
                int[][] m = KernelParameters.leakyRelu(in.scale(), alpha, out.scale());
                int[] ma = m[0], mi = m[1];
                int mulA = ma[0], shA = ma[1], mulI = mi[0], shI = mi[1];
                int inOff = in.zeroPoint(), outOff = out.zeroPoint();
                int lo = QuantizedMath.qmin(t), hi = QuantizedMath.qmax(t);
                loop.forEach((i, unused, o) -> {
                    int v = ElementwiseKernels.readInt(in, t, i) - inOff;
                    int r = v >= 0
                            ? outOff + QuantizedMath.multiplyByQuantizedMultiplier(v, mulI, shI)
                            : outOff + QuantizedMath.multiplyByQuantizedMultiplier(v, mulA, shA);
                    ElementwiseKernels.writeInt(out, t, o, Math.min(hi, Math.max(lo, r)));
                });
            }
            default -> throw ctx.unsupported("LEAKY_RELU on " + t);
        }
    }
}
