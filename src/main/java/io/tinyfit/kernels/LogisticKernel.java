package io.tinyfit.kernels;

import io.tinyfit.model.DType;

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
final class LogisticKernel implements Kernel {
    /** sigmoid(i/24) in 0.16 format (TFLite's {@code sigmoid_table_uint16}), shared with TANH. */
    static final int[] SIGMOID_TABLE_UINT16 = {
        32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
        43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
        51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
        57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
        61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
        63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
        64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
        64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
        65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
        65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
        65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
        65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
        65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
        65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
        65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
        65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
    };

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0), out = ctx.output(0);
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("LOGISTIC from " + t + " to " + out.dtype());
        int n = in.elements();
        switch (t) {
            case FLOAT32 -> {
                final float cutoffUpper = 16.619047164916992188f;
                final float cutoffLower = -9.f;
                for (int i = 0; i < n; i++) {
                    float v = in.f32(i);
                    float r;
                    if (v > cutoffUpper) r = 1.0f;
                    else if (v < cutoffLower) r = Libm.expf(v);
                    else r = 1.f / (1.f + Libm.expf(-v));
                    out.setF32(i, r);
                }
            }
            case INT8, UINT8 -> {
                if (t == DType.INT8 && out.zeroPoint() != -128) throw ctx.unsupported("int8 LOGISTIC needs output zero point -128");
                Q4Input q = Q4Input.prepare(in.scale());
                int zp = in.zeroPoint();
                for (int i = 0; i < n; i++) {
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
                    ElementwiseKernels.writeInt(out, t, i, r);
                }
            }
            case INT16 -> {
                int[] p = prepareInt16(ctx, in, out, false);
                evalInt16Lut(in, out, n, p[0], p[1]);
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
    static int[] prepareInt16(OpContext ctx, View in, View out, boolean tanh) {
        if (in.zeroPoint() != 0 || out.zeroPoint() != 0) throw ctx.unsupported("int16 " + ctx.op().kind() + " needs zero points 0");
        int[] log2 = new int[1];
        boolean pot = checkedLog2(in.scale(), log2);
        int leftShift = (15 - 3) + log2[0];
        pot &= tanh ? (leftShift == 0 || leftShift == 1) : leftShift == 0;
        int multiplier;
        if (pot) {
            multiplier = 0;
        } else {
            double m = (double) in.scale() * 4096.0 * 3.0;
            leftShift = 0;
            while (m <= 32767.0 / 2.0 && leftShift <= 30) {
                leftShift++;
                m = m * 2.0;
            }
            multiplier = (int) m;
        }
        int[] outLog2 = new int[1];
        if (!checkedLog2(out.scale(), outLog2) || outLog2[0] != -15) {
            throw ctx.unsupported("int16 " + ctx.op().kind() + " needs output scale 2^-15");
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

    private static void evalInt16Lut(View in, View out, int n, int inputMultiplier, int inputLeftShift) {
        if (inputMultiplier == 0) { // power of two: the 3 of the [-8, 8] -> [-10.7, 10.7] expansion
            inputMultiplier = 3 << inputLeftShift;
            inputLeftShift = 0;
        }
        int round = inputLeftShift > 0 ? 1 << (inputLeftShift - 1) : 0;
        for (int i = 0; i < n; i++) {
            int inputData = (in.i16(i) * inputMultiplier + round) >> inputLeftShift;
            // Unsigned interpolation: uint32 arithmetic, held in longs masked to 32 bits.
            long absInput = Math.abs((long) inputData) & 0xFFFFFFFFL;
            long uh = absInput >>> 9;
            long result;
            if (uh >= 255) {
                result = 0x7FFFL << 10;
            } else {
                long ua = SIGMOID_TABLE_UINT16[(int) uh];
                long ub = SIGMOID_TABLE_UINT16[(int) uh + 1];
                long ut = absInput & 0x1ff;
                result = ((ua << 9) + ut * (ub - ua)) & 0xFFFFFFFFL;
            }
            result = inputData >= 0
                    ? (result + (1 << 9)) & 0xFFFFFFFFL
                    : ((1L << (16 + 9)) - result + (1 << 9) - 1) & 0xFFFFFFFFL;
            result >>>= 10;
            out.setI16(i, (int) result);
        }
    }
}
