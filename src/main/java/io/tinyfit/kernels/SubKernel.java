package io.tinyfit.kernels;

import io.tinyfit.model.DType;

import static io.tinyfit.kernels.QuantizedMath.multiplyByQuantizedMultiplierSmallerThanOneExp;

/**
 * SUB, as TFLM's {@code sub.cc}: float32 and int32 ({@code SubWithActivation}/{@code BroadcastSubSlow}, both
 * clamped to the fused activation's range), int8 and int16 ({@code SubElementwise}/{@code BroadcastQuantSubSlow}:
 * TFLM has no {@code pot_scale_int16} branch, int16 always takes this general path).
 */
final class SubKernel extends ElementwiseKernel {
    @Override
    public void prepare(Preparation p) {
        DType t = ElementOrder.prepareSameTypes(p, DType.FLOAT32, DType.INT32, DType.INT8, DType.INT16);
        if (t == DType.FLOAT32 || t == DType.INT32) return;
        // CalculateOpDataSub, in single precision: the output multiplier must lie in (0, 1).
        float twiceMax = 2 * Math.max(p.quantized(p.input(0), "input 1").scale(), p.quantized(p.input(1), "input 2").scale());
        p.multiplierBelowOne((double) (twiceMax / ((1 << (t == DType.INT16 ? 15 : 20)) * p.quantized(p.output(0), "output").scale())), "output");
    }

    @Override
    public void eval(OpContext ctx) {
        View in1 = ctx.input(0), in2 = ctx.input(1), out = ctx.output(0);
        DType t = out.dtype();
        if (in1.dtype() != t || in2.dtype() != t) {
            throw ctx.unsupported("SUB of " + in1.dtype() + " and " + in2.dtype() + " into " + t);
        }
        ElementOrder loop = ElementOrder.binary(in1, in2, out, ctx.outputRegion());
        int act = ElementwiseKernels.activation(ctx);
        switch (t) {
            case FLOAT32 -> {
                float[] r = QuantizedMath.activationRangeFloat(act);
                float lo = r[0], hi = r[1];
                loop.forEach((i1, i2, o) -> out.setF32(o, QuantizedMath.clamp(in1.f32(i1) - in2.f32(i2), lo, hi)));
            }
            case INT32 -> {
                int[] r = ElementwiseKernels.int32ActivationRange(act);
                int lo = r[0], hi = r[1];
                loop.forEach((i1, i2, o) -> out.setI32(o, QuantizedMath.clamp(in1.i32(i1) - in2.i32(i2), lo, hi)));
            }
            case INT8, INT16 -> evalQuantized(loop, in1, in2, out, t, act);
            default -> throw ctx.unsupported("SUB on " + t);
        }
    }

    private static void evalQuantized(ElementOrder loop, View in1, View in2, View out, DType t, int act) {
        KernelParameters.AddScales m = KernelParameters.sub(t, in1.scale(), in2.scale(), out.scale());
        final int leftShift = m.leftShift();
        final int off1 = -in1.zeroPoint(), off2 = -in2.zeroPoint(), offOut = out.zeroPoint();
        final int mul1 = m.multiplier1(), sh1 = m.shift1(), mul2 = m.multiplier2(), sh2 = m.shift2(), mulO = m.outputMultiplier(), shO = m.outputShift();
        int[] range = QuantizedMath.activationRange(act, out);
        final int lo = range[0], hi = range[1];
        loop.forEach((i1, i2, o) -> {
            int a = (off1 + ElementwiseKernels.readInt(in1, t, i1)) * (1 << leftShift);
            int b = (off2 + ElementwiseKernels.readInt(in2, t, i2)) * (1 << leftShift);
            int diff = multiplyByQuantizedMultiplierSmallerThanOneExp(a, mul1, sh1)
                    - multiplyByQuantizedMultiplierSmallerThanOneExp(b, mul2, sh2);
            int raw = multiplyByQuantizedMultiplierSmallerThanOneExp(diff, mulO, shO) + offOut;
            ElementwiseKernels.writeInt(out, t, o, Math.min(hi, Math.max(lo, raw)));
        });
    }
}
