package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

/**
 * PRELU, as TFLM's {@code prelu.cc}: the input and alpha broadcast against each other over the output
 * ({@code BroadcastPrelu4DSlow}); float32 {@code x >= 0 ? x : x * alpha}; int8 (int8 alpha) and int16 (int8 alpha)
 * requantise with {@code s_in/s_out} for non-negative inputs and {@code s_in*s_alpha/s_out} for negative ones.
 * Alpha is read only for negative inputs, as the reference does.
 */
final class PreluKernel extends ElementwiseKernel {
    @Override
    public void prepare(Preparation p) {
        ElementOrder.prepareShapes(p);
        Tensor in = p.input(0), alpha = p.input(1), out = p.output(0);
        p.dtype(in, "input", DType.FLOAT32, DType.INT8, DType.INT16);
        p.sameType(in, "input", out, "output");
        if (in.dtype() == DType.FLOAT32) {
            p.dtype(alpha, "alpha", DType.FLOAT32);
            return;
        }
        p.dtype(alpha, "alpha", DType.INT8);
        float inScale = p.quantized(in, "input").scale(), outScale = p.quantized(out, "output").scale();
        p.multiplier((double) inScale / (double) outScale, "identity");
        p.multiplier((double) inScale * (double) p.quantized(alpha, "alpha").scale() / (double) outScale, "alpha");
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0), alpha = ctx.input(1), out = ctx.output(0);
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("PRELU from " + t + " to " + out.dtype());
        ElementOrder loop = ElementOrder.binary(in, alpha, out, ctx.outputRegion());
        switch (t) {
            case FLOAT32 -> {
                if (alpha.dtype() != DType.FLOAT32) throw ctx.unsupported("float PRELU with " + alpha.dtype() + " alpha");
                loop.forEach((i1, i2, o) -> {
                    float x = in.f32(i1);
                    out.setF32(o, x >= 0f ? x : x * alpha.f32(i2));
                });
            }
            case INT8, INT16 -> {
                if (alpha.dtype() != DType.INT8) throw ctx.unsupported(t + " PRELU with " + alpha.dtype() + " alpha");
                int[] m1 = QuantizedMath.quantizeMultiplier((double) in.scale() / (double) out.scale());
                int[] m2 = QuantizedMath.quantizeMultiplier((double) in.scale() * (double) alpha.scale() / (double) out.scale());
                final int mul1 = m1[0], sh1 = m1[1], mul2 = m2[0], sh2 = m2[1];
                final int inOff = -in.zeroPoint(), alphaOff = -alpha.zeroPoint(), outOff = out.zeroPoint();
                final int lo = QuantizedMath.qmin(t), hi = QuantizedMath.qmax(t);
                loop.forEach((i1, i2, o) -> {
                    int x = inOff + ElementwiseKernels.readInt(in, t, i1);
                    int r;
                    if (x >= 0) {
                        r = QuantizedMath.multiplyByQuantizedMultiplier(x, mul1, sh1);
                    } else {
                        int a = alphaOff + alpha.i8(i2);
                        r = QuantizedMath.multiplyByQuantizedMultiplier(x * a, mul2, sh2);
                    }
                    r += outOff;
                    ElementwiseKernels.writeInt(out, t, o, Math.min(hi, Math.max(lo, r)));
                });
            }
            default -> throw ctx.unsupported("PRELU on " + t);
        }
    }
}
