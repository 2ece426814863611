package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

/**
 * LOGISTIC, as TFLM's {@code logistic.cc}/{@code logistic_common.cc}:
 * <ul>
 * <li>float32: {@code reference_ops::Logistic}, with glibc's {@code expf} and the cut-offs 16.619047 (result 1)
 *     and -9 (result {@code expf(x)});</li>
 * <li>int8: {@code reference_integer_ops::Logistic}, gemmlowp's fixed-point logistic on a Q4.27 input, output
 *     scale 1/256 and zero point -128;</li>
 * <li>int16: the LUT interpolation of {@code reference_integer_ops::Logistic}, with either the power-of-two
 *     input scale (2^-12: multiplier 3) or a general scale rescaled to 1/(3*4096) in Prepare;</li>
 * <li>uint8: TFLite's reference uint8 path (the int8 computation with output zero point 0).</li>
 * </ul>
 */
final class LogisticKernel extends ElementwiseKernel {
    @Override
    public void prepare(Preparation p) {
        DType t = ElementwiseKernels.prepareUnary(p, DType.FLOAT32, DType.INT8, DType.UINT8, DType.INT16);
        if (t == DType.FLOAT32) return;
        Tensor in = p.input(0), out = p.output(0);
        p.quantized(in, "input");
        p.quantized(out, "output");
        if (t == DType.INT8) p.zeroPoint(out, "output", -128);
        if (t == DType.INT16) prepareInt16(p, in, out, false);
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0), out = ctx.output(0);
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("LOGISTIC from " + t + " to " + out.dtype());
        ElementOrder loop = ElementOrder.unary(in, out, ctx.outputRegion());
        switch (t) {
            case FLOAT32 -> {
                final float cutoffUpper = 16.619047164916992188f;
                final float cutoffLower = -9.f;
                loop.forEach((i, unused, o) -> {
                    float v = in.f32(i);
                    float r;
                    if (v > cutoffUpper) r = 1.0f;
                    else if (v < cutoffLower) r = Libm.expf(v);
                    else r = 1.f / (1.f + Libm.expf(-v));
                    out.setF32(o, r);
                });
            }
            case INT8, UINT8 -> {
                if (t == DType.INT8 && out.zeroPoint() != -128) throw ctx.unsupported("int8 LOGISTIC needs output zero point -128");
                Q4Input q = Q4Input.prepare(in.scale());
                int zp = in.zeroPoint();
                loop.forEach((i, unused, o) -> {
                    int x = ElementwiseKernels.readInt(in, t, i) - zp;
                    int r;
                    if (x <= -q.radius) {
                        r = t == DType.INT8 ? -128 : 0;
                    } else if (x >= q.radius) {
                        r = t == DType.INT8 ? 127 : 255;
                    } else {
                        int inQ4 = QuantizedMath.multiplyByQuantizedMultiplier(x, q.multiplier, q.shift);
                        int outQ0 = QuantizedMath.fixedPointLogistic(inQ4, 4);
                        int outQ23 = QuantizedMath.roundingDivideByPOT(outQ0, 23);
                        if (t == DType.INT8) {
                            r = Math.min(Math.max(outQ23 - 128, -128), 127);
                        } else {
                            r = outQ23 == 256 ? 255 : outQ23;
                        }
                    }
                    ElementwiseKernels.writeInt(out, t, o, r);
                });
            }
            case INT16 -> {
                int[] p = prepareInt16(ctx, in.tensor(), out.tensor(), false);
                evalInt16Lut(in, out, loop, p[0], p[1]);
            }
            default -> throw ctx.unsupported("LOGISTIC on " + t);
        }
    }

    /**
     * The int8 LOGISTIC/TANH input rescaling to Q4.27: {@code frexp(s * 2^27)}, the mantissa rounded to Q31,
     * and {@code CalculateInputRadius(4, shift, 31)}.
     */
    record Q4Input(int multiplier, int shift, int radius) {
        static Q4Input prepare(float scale) {
            double real = (double) scale * (double) (1 << (31 - 4));
            int shift = real == 0.0 ? 0 : Math.getExponent(real) + 1;
            double q = real / Math.scalb(1.0, shift);
            int multiplier = ElementwiseKernels.castToInt32(QuantizedMath.round(q * (1L << 31)));
            double maxInputRescaled = 1.0 * ((1 << 4) - 1) * (double) (1L << (31 - 4)) / Math.scalb(1.0, shift);
            return new Q4Input(multiplier, shift, (int) Math.floor(maxInputRescaled));
        }
    }

    /**
     * The int16 LOGISTIC/TANH Prepare: {@code {input_multiplier, input_left_shift}}, where multiplier 0 marks the
     * power-of-two case. TANH also accepts a left shift of 1 as power of two.
     */
    static int[] prepareInt16(Refusals r, Tensor in, Tensor out, boolean tanh) {
        if (in.quant().zeroPoint() != 0 || out.quant().zeroPoint() != 0) throw r.unsupported("int16 " + r.op().kind() + " needs zero points 0");
        int[] log2 = new int[1];
        boolean pot = checkedLog2(in.quant().scale(), log2);
        int leftShift = (15 - 3) + log2[0];
        pot &= tanh ? (leftShift == 0 || leftShift == 1) : leftShift == 0;
        int multiplier;
        if (pot) {
            multiplier = 0;
        } else {
            double m = (double) in.quant().scale() * 4096.0 * 3.0;
            leftShift = 0;
            while (m <= 32767.0 / 2.0 && leftShift <= 30) {
                leftShift++;
                m = m * 2.0;
            }
            multiplier = (int) m;
        }
        int[] outLog2 = new int[1];
        if (!checkedLog2(out.quant().scale(), outLog2) || outLog2[0] != -15) {
            throw r.unsupported("int16 " + r.op().kind() + " needs output scale 2^-15");
        }
        return new int[] {multiplier, leftShift};
    }

    /** TFLite's {@code CheckedLog2}: log2 of x in single precision via logf, rounded, within 1e-3 of an integer. */
    static boolean checkedLog2(float x, int[] log2Result) {
        float xLog2 = Libm.logf(x) * (1.0f / Libm.logf(2.0f));
        float rounded = QuantizedMath.round(xLog2);
        float frac = xLog2 - rounded;
        log2Result[0] = (int) rounded;
        return Math.abs(frac) < 1e-3f;
    }

    /** The LUT interpolation of {@code reference_integer_ops::Logistic}, element by element in index order. */
    private static void evalInt16Lut(View in, View out, ElementOrder loop, int inputMultiplier, int inputLeftShift) {
        loop.forEach((i, unused, o) -> out.setI16(o, QuantizedMath.logisticInt16(in.i16(i), inputMultiplier, inputLeftShift)));
    }
}
