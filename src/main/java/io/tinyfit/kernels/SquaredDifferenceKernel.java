package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

import static io.tinyfit.kernels.QuantizedMath.multiplyByQuantizedMultiplierSmallerThanOneExp;

/**
 * SQUARED_DIFFERENCE, as TFLM's {@code squared_difference.cc}: float32 and int32 {@code (a-b)*(a-b)} (int32
 * wraps), int8 (left shift 7) and int16 (left shift 0, zero points 0) through {@code PrepareQuantized}'s input
 * multipliers, a squared int32 difference and a general {@code QuantizeMultiplier} output multiplier, clamped to
 * the full output type (the op has no fused activation).
 */
final class SquaredDifferenceKernel extends ElementwiseKernel {
    @Override
    public void prepare(Preparation p) {
        DType t = ElementOrder.prepareSameTypes(p, DType.FLOAT32, DType.INT32, DType.INT8, DType.INT16);
        if (t == DType.FLOAT32 || t == DType.INT32) return;
        Tensor in1 = p.input(0), in2 = p.input(1), out = p.output(0);
        if (t == DType.INT16) ElementOrder.prepareSymmetric(p);
        double twiceMax = 2.0 * (double) Math.max(p.quantized(in1, "input 1").scale(), p.quantized(in2, "input 2").scale());
        int leftShift = t == DType.INT8 ? 7 : 0;
        p.multiplier((twiceMax * twiceMax) / (double) ((1 << (leftShift * 2)) * p.quantized(out, "output").scale()), "output");
    }

    @Override
    public void eval(OpContext ctx) {
        View in1 = ctx.input(0), in2 = ctx.input(1), out = ctx.output(0);
        DType t = out.dtype();
        if (in1.dtype() != t || in2.dtype() != t) {
            throw ctx.unsupported("SQUARED_DIFFERENCE of " + in1.dtype() + " and " + in2.dtype() + " into " + t);
        }
        ElementOrder loop = ElementOrder.binary(in1, in2, out, ctx.outputRegion());
        switch (t) {
            case FLOAT32 -> loop.forEach((i1, i2, o) -> {
                float d = in1.f32(i1) - in2.f32(i2);
                out.setF32(o, d * d);
            });
            case INT32 -> loop.forEach((i1, i2, o) -> {
                int d = in1.i32(i1) - in2.i32(i2);
                out.setI32(o, d * d);
            });
            case INT8, INT16 -> {
                if (t == DType.INT16 && (in1.zeroPoint() != 0 || in2.zeroPoint() != 0 || out.zeroPoint() != 0)) {
                    throw ctx.unsupported("int16 SQUARED_DIFFERENCE needs zero points 0");
                }
                final int leftShift = t == DType.INT8 ? 7 : 0;
                double twiceMax = 2.0 * (double) Math.max(in1.scale(), in2.scale());
                int[] m1 = QuantizedMath.quantizeMultiplierSmallerThanOneExp((double) in1.scale() / twiceMax);
                int[] m2 = QuantizedMath.quantizeMultiplierSmallerThanOneExp((double) in2.scale() / twiceMax);
                // The denominator is an int times a float, evaluated in float before widening.
                float denominator = (1 << (leftShift * 2)) * out.scale();
                int[] mo = QuantizedMath.quantizeMultiplier((twiceMax * twiceMax) / (double) denominator);
                final int off1 = -in1.zeroPoint(), off2 = -in2.zeroPoint(), offOut = out.zeroPoint();
                final int mul1 = m1[0], sh1 = m1[1], mul2 = m2[0], sh2 = m2[1], mulO = mo[0], shO = mo[1];
                final int lo = QuantizedMath.qmin(t), hi = QuantizedMath.qmax(t);
                loop.forEach((i1, i2, o) -> {
                    int a = (off1 + ElementwiseKernels.readInt(in1, t, i1)) * (1 << leftShift);
                    int b = (off2 + ElementwiseKernels.readInt(in2, t, i2)) * (1 << leftShift);
                    int diff = multiplyByQuantizedMultiplierSmallerThanOneExp(a, mul1, sh1)
                            - multiplyByQuantizedMultiplierSmallerThanOneExp(b, mul2, sh2);
                    int raw = QuantizedMath.multiplyByQuantizedMultiplier(diff * diff, mulO, shO) + offOut;
                    ElementwiseKernels.writeInt(out, t, o, Math.min(hi, Math.max(lo, raw)));
                });
            }
            default -> throw ctx.unsupported("SQUARED_DIFFERENCE on " + t);
        }
    }
}
