package io.tinyfit.kernels;

import io.tinyfit.model.DType;

import static io.tinyfit.kernels.QuantizedMath.multiplyByQuantizedMultiplierSmallerThanOneExp;

/**
 * ADD, as TFLM's {@code add.cc}: float32 ({@code reference_ops::Add}/{@code BroadcastAdd4DSlow} with the fused
 * activation), int32 (no clamp: TFLM sets the int32 activation range to the full type, so sums wrap),
 * int8 ({@code reference_integer_ops::AddFunc}) and int16 (the general-scale {@code AddElementwise} path: TFLM
 * always passes {@code pot_scale = false}, so {@code pot_scale_int16} does not change the result), plus uint8 as
 * TFLite's reference {@code AddElementwise}, which computes like int8.
 */
final class AddKernel extends ElementwiseKernel {
    @Override
    public void prepare(Preparation p) {
        DType t = ElementOrder.prepareSameTypes(p, DType.FLOAT32, DType.INT32, DType.INT8, DType.UINT8, DType.INT16);
        if (t == DType.FLOAT32 || t == DType.INT32) return;
        // CalculateOpDataAdd: the output multiplier goes through QuantizeMultiplierSmallerThanOneExp.
        double twiceMax = 2 * (double) Math.max(p.quantized(p.input(0), "input 1").scale(), p.quantized(p.input(1), "input 2").scale());
        p.multiplierBelowOne(twiceMax / ((1 << (t == DType.INT16 ? 15 : 20)) * (double) p.quantized(p.output(0), "output").scale()), "output");
    }

    @Override
    public void eval(OpContext ctx) {
        View in1 = ctx.input(0), in2 = ctx.input(1), out = ctx.output(0);
        DType t = out.dtype();
        if (in1.dtype() != t || in2.dtype() != t) {
            throw ctx.unsupported("ADD of " + in1.dtype() + " and " + in2.dtype() + " into " + t);
        }
        ElementOrder loop = ElementOrder.binary(in1, in2, out, ctx.outputRegion());
        int act = ElementwiseKernels.activation(ctx);
        switch (t) {
            case FLOAT32 -> {
                float[] r = QuantizedMath.activationRangeFloat(act);
                float lo = r[0], hi = r[1];
                loop.forEach((i1, i2, o) -> out.setF32(o, QuantizedMath.clamp(in1.f32(i1) + in2.f32(i2), lo, hi)));
            }
            case INT32 -> loop.forEach((i1, i2, o) -> out.setI32(o, in1.i32(i1) + in2.i32(i2)));
            case INT8, UINT8, INT16 -> evalQuantized(loop, in1, in2, out, t, act);
            default -> throw ctx.unsupported("ADD on " + t);
        }
    }

    private static void evalQuantized(ElementOrder loop, View in1, View in2, View out, DType t, int act) {
        KernelParameters.AddScales m = KernelParameters.add(t, in1.scale(), in2.scale(), out.scale());
        final int leftShift = m.leftShift();
        final int off1 = -in1.zeroPoint(), off2 = -in2.zeroPoint(), offOut = out.zeroPoint();
        final int mul1 = m.multiplier1(), sh1 = m.shift1(), mul2 = m.multiplier2(), sh2 = m.shift2(), mulO = m.outputMultiplier(), shO = m.outputShift();
        int[] range = QuantizedMath.activationRange(act, out);
        final int lo = range[0], hi = range[1];
        loop.forEach((i1, i2, o) -> {
            int a = (off1 + ElementwiseKernels.readInt(in1, t, i1)) * (1 << leftShift);
            int b = (off2 + ElementwiseKernels.readInt(in2, t, i2)) * (1 << leftShift);
            int sum = multiplyByQuantizedMultiplierSmallerThanOneExp(a, mul1, sh1)
                    + multiplyByQuantizedMultiplierSmallerThanOneExp(b, mul2, sh2);
            int raw = multiplyByQuantizedMultiplierSmallerThanOneExp(sum, mulO, shO) + offOut;
            ElementwiseKernels.writeInt(out, t, o, Math.min(hi, Math.max(lo, raw)));
        });
    }
}
