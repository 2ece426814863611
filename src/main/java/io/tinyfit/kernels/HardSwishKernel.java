package io.tinyfit.kernels;

import io.tinyfit.model.DType;

/**
 * HARD_SWISH, as TFLM's {@code hard_swish.cc}: float32 {@code x * min(6, max(0, x + 3)) / 6}, and int8
 * {@code reference_ops::HardSwish}, a 16-bit fixed-point evaluation with a "reluish" multiplier in [0, 1] and an
 * output multiplier, both downscaled from {@code QuantizeMultiplier} to int16.
 */
final class HardSwishKernel extends ElementwiseKernel {
    @Override
    public void prepare(Preparation p) {
        DType t = ElementwiseKernels.prepareUnary(p, DType.FLOAT32, DType.INT8);
        if (t == DType.FLOAT32) return;
        float hiresInputScale = (1.0f / 128.0f) * p.quantized(p.input(0), "input").scale();
        int[] om = p.multiplier((double) (hiresInputScale / p.quantized(p.output(0), "output").scale()), "output");
        if (om[1] > 0) throw p.unsupported("HARD_SWISH output multiplier exponent " + om[1] + " > 0");
        p.multiplier((double) (hiresInputScale / (3.0f / 32768.0f)), "reluish");
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0), out = ctx.output(0);
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("HARD_SWISH from " + t + " to " + out.dtype());
        ElementOrder loop = ElementOrder.unary(in, out, ctx.outputRegion());
        switch (t) {
            case FLOAT32 -> {
                loop.forEach((i, unused, o) -> {
                    float x = in.f32(i);
                    float relu = x + 3f;
                    relu = 0f < relu ? relu : 0f;   // std::max(0, x + 3): (0 < x+3) ? x+3 : 0
                    relu = relu < 6f ? relu : 6f;   // std::min(6, ...): (r < 6) ? r : 6
                    out.setF32(o, x * relu / 6f);
                });
            }
            case INT8 -> evalInt8(ctx, in, out, loop);
            default -> throw ctx.unsupported("HARD_SWISH on " + t);
        }
    }

    private static void evalInt8(OpContext ctx, View in, View out, ElementOrder loop) {
        // HardSwishPrepare, in single precision up to the widening of each ratio.
        float hiresInputScale = (1.0f / 128.0f) * in.scale();
        float reluishScale = 3.0f / 32768.0f;
        int[] om = QuantizedMath.quantizeMultiplier((double) (hiresInputScale / out.scale()));
        int outMul = downScaleInt32ToInt16Multiplier(om[0]);
        int outExp = om[1];
        if (outExp > 0) throw ctx.unsupported("HARD_SWISH output multiplier exponent " + outExp + " > 0");
        int[] rm = QuantizedMath.quantizeMultiplier((double) (hiresInputScale / reluishScale));
        int reluMul = downScaleInt32ToInt16Multiplier(rm[0]);
        int reluExp = rm[1];
        int inZp = in.zeroPoint(), outZp = out.zeroPoint();
        loop.forEach((i, unused, o) -> {
            short inputValue = (short) (in.i8(i) - inZp);
            short hires = (short) (inputValue * (1 << 7));
            short preshiftOutput = srdhm16(hires, (short) outMul);
            short reluish = hires;
            if (reluExp > 0) reluish = saturatingLeftShift16(reluish, reluExp - 1);
            reluish = srdhm16(reluish, (short) reluMul);
            if (reluExp > 0) reluish = saturatingLeftShift16(reluish, 1);
            if (reluExp < 0) reluish = roundingDivideByPOT16(reluish, -reluExp);
            reluish = (short) ((reluish + (1 << 15)) >> 1);
            short preshiftResult = saturatingDoublingHighMul16(reluish, preshiftOutput);
            short outputValue = roundingDivideByPOT16(preshiftResult, -outExp);
            outputValue = (short) (outputValue + outZp);
            outputValue = (short) Math.min(outputValue, 127);
            outputValue = (short) Math.max(outputValue, -128);
            out.setI8(o, outputValue);
        });
    }

    /** {@code DownScaleInt32ToInt16Multiplier}. */
    static int downScaleInt32ToInt16Multiplier(int m) {
        final int roundingOffset = 1 << 15;
        if (m >= Integer.MAX_VALUE - roundingOffset) return Short.MAX_VALUE;
        return (m + roundingOffset) >> 16;
    }

    /** reference_ops {@code SaturatingLeftShift} on int16. */
    private static short saturatingLeftShift16(short value, int amount) {
        long r = (long) value * (1L << amount);
        r = Math.min(r, Short.MAX_VALUE);
        r = Math.max(r, Short.MIN_VALUE);
        return (short) r;
    }

    /** gemmlowp {@code SaturatingRoundingDoublingHighMul} on int16. */
    private static short srdhm16(short a, short b) {
        if (a == b && a == Short.MIN_VALUE) return Short.MAX_VALUE;
        int ab = a * b;
        short nudge = (short) (ab >= 0 ? (1 << 14) : (1 - (1 << 14)));
        return (short) ((ab + nudge) / (1 << 15));
    }

    /** reference_ops {@code SaturatingDoublingHighMul}: like {@link #srdhm16} but truncating toward zero. */
    private static short saturatingDoublingHighMul16(short a, short b) {
        if (a == b && a == Short.MIN_VALUE) return Short.MAX_VALUE;
        return (short) ((a * b) / (1 << 15));
    }

    /** gemmlowp {@code RoundingDivideByPOT} instantiated on int16 (mask and threshold are int16 values). */
    private static short roundingDivideByPOT16(short x, int exponent) {
        short mask = (short) ((1L << exponent) - 1);
        short remainder = (short) (x & mask);
        short threshold = (short) ((mask >> 1) + (x < 0 ? 1 : 0));
        return (short) ((x >> exponent) + (remainder > threshold ? 1 : 0));
    }
}
