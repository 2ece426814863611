package io.tinyfit.kernels;

import io.tinyfit.model.DType;

/**
 * The fixed-point helpers every integer kernel shares, bit-exact with TFLite's
 * {@code kernels/internal/common.h}, {@code quantization_util.cc} and {@code kernel_util.cc}, in the
 * double-rounding configuration ({@code TFLITE_SINGLE_ROUNDING} undefined) that the reference build uses.
 */
public final class QuantizedMath {
    private QuantizedMath() {}

    /** Fused activation codes of the schema's {@code ActivationFunctionType}. */
    public static final int ACT_NONE = 0, ACT_RELU = 1, ACT_RELU_N1_TO_1 = 2, ACT_RELU6 = 3, ACT_TANH = 4, ACT_SIGN_BIT = 5;

    /** {@code std::round} on a float: halves away from zero (Java's Math.round rounds halves up). */
    public static float round(float x) {
        if (Float.isNaN(x) || Float.isInfinite(x)) return x;
        float a = Math.abs(x);
        float f = (float) Math.floor(a);
        float r = (a - f >= 0.5f) ? f + 1f : f; // a - f is exact for floats
        return Math.copySign(r, x);
    }

    /** {@code std::round} on a double: halves away from zero. */
    public static double round(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) return x;
        double a = Math.abs(x);
        double f = Math.floor(a);
        double r = (a - f >= 0.5) ? f + 1.0 : f;
        return Math.copySign(r, x);
    }

    /** TFLite's {@code QuantizeMultiplier}: a double multiplier as a Q31 value and a power-of-two shift. */
    public static int[] quantizeMultiplier(double realMultiplier) {
        if (realMultiplier == 0.0) return new int[] {0, 0};
        int shift = Math.getExponent(realMultiplier) + 1; // frexp: m in [0.5, 1)
        double q = realMultiplier / Math.scalb(1.0, shift);
        if (Math.abs(q) < 0.5 || Math.abs(q) >= 1.0) { // subnormal inputs: normalise like frexp
            int e = 0;
            while (Math.abs(q) >= 1.0) { q /= 2; e++; }
            while (Math.abs(q) < 0.5) { q *= 2; e--; }
            shift += e;
        }
        long qFixed = (long) round(q * (1L << 31));
        if (qFixed == (1L << 31)) {
            qFixed /= 2;
            ++shift;
        }
        if (shift < -31) {
            shift = 0;
            qFixed = 0;
        }
        return new int[] {(int) qFixed, shift};
    }

    /** {@code QuantizeMultiplierSmallerThanOneExp}: like {@link #quantizeMultiplier}, shift ≤ 0. */
    public static int[] quantizeMultiplierSmallerThanOneExp(double realMultiplier) {
        return quantizeMultiplier(realMultiplier);
    }

    /** gemmlowp's {@code SaturatingRoundingDoublingHighMul}. */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == b && a == Integer.MIN_VALUE) return Integer.MAX_VALUE;
        long ab = (long) a * (long) b;
        long nudge = ab >= 0 ? (1L << 30) : (1 - (1L << 30));
        // C++ integer division truncates toward zero, as Java's does.
        return (int) ((ab + nudge) / (1L << 31));
    }

    /** gemmlowp's {@code RoundingDivideByPOT}: x / 2^exponent rounded to nearest, halves away from zero. */
    public static int roundingDivideByPOT(int x, int exponent) {
        int mask = (int) ((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + ((x < 0) ? 1 : 0);
        return (x >> exponent) + ((remainder > threshold) ? 1 : 0);
    }

    /** {@code MultiplyByQuantizedMultiplier(int32 x, int32 multiplier, int shift)}, double rounding. */
    public static int multiplyByQuantizedMultiplier(int x, int multiplier, int shift) {
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier), rightShift);
    }

    /** {@code MultiplyByQuantizedMultiplier(int64 x, int32 multiplier, int shift)}, used by the int16x8 kernels. */
    public static int multiplyByQuantizedMultiplier(long x, int multiplier, int shift) {
        int reduced = multiplier < 0x7FFF0000 ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
        int totalShift = 15 - shift;
        long v = x * (long) reduced + (1L << (totalShift - 1));
        return (int) (v >> totalShift);
    }

    /** {@code MultiplyByQuantizedMultiplierSmallerThanOneExp}. */
    public static int multiplyByQuantizedMultiplierSmallerThanOneExp(int x, int multiplier, int leftShift) {
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, multiplier), -leftShift);
    }

    /** {@code MultiplyByQuantizedMultiplierGreaterThanOne}. */
    public static int multiplyByQuantizedMultiplierGreaterThanOne(int x, int multiplier, int leftShift) {
        return saturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier);
    }

    public static int qmin(DType t) {
        return switch (t) {
            case INT8 -> -128;
            case UINT8 -> 0;
            case INT16 -> -32768;
            case INT32 -> Integer.MIN_VALUE;
            default -> throw new IllegalArgumentException("no quantized range for " + t);
        };
    }

    public static int qmax(DType t) {
        return switch (t) {
            case INT8 -> 127;
            case UINT8 -> 255;
            case INT16 -> 32767;
            case INT32 -> Integer.MAX_VALUE;
            default -> throw new IllegalArgumentException("no quantized range for " + t);
        };
    }

    /**
     * {@code CalculateActivationRangeQuantized}: the clamp range of a fused activation on the output's
     * quantisation, as {@code {min, max}}.
     */
    public static int[] activationRange(int activation, DType outType, float scale, int zeroPoint) {
        int qmin = qmin(outType);
        int qmax = qmax(outType);
        switch (activation) {
            case ACT_NONE:
                return new int[] {qmin, qmax};
            case ACT_RELU:
                return new int[] {Math.max(qmin, quantize(0f, scale, zeroPoint)), qmax};
            case ACT_RELU6:
                return new int[] {Math.max(qmin, quantize(0f, scale, zeroPoint)), Math.min(qmax, quantize(6f, scale, zeroPoint))};
            case ACT_RELU_N1_TO_1:
                return new int[] {Math.max(qmin, quantize(-1f, scale, zeroPoint)), Math.min(qmax, quantize(1f, scale, zeroPoint))};
            default:
                throw new UnsupportedOpVariantException("fused activation " + activation + " is not supported for quantized kernels");
        }
    }

    /** kernel_util's {@code Quantize} lambda: {@code zero_point + (int32) TfLiteRound(f / scale)}. */
    private static int quantize(float f, float scale, int zeroPoint) {
        float t = f / scale;
        return zeroPoint + (int) round(t);
    }

    /** {@code CalculateActivationRange} for float kernels, as {@code {min, max}}. */
    public static float[] activationRangeFloat(int activation) {
        return switch (activation) {
            case ACT_NONE -> new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
            case ACT_RELU -> new float[] {0f, Float.POSITIVE_INFINITY};
            case ACT_RELU6 -> new float[] {0f, 6f};
            case ACT_RELU_N1_TO_1 -> new float[] {-1f, 1f};
            default -> throw new UnsupportedOpVariantException("fused activation " + activation + " is not supported for float kernels");
        };
    }

    /** {@code ActivationFunctionWithMinMax}: min(max(x, lo), hi), as the reference kernels clamp floats. */
    public static float clamp(float x, float lo, float hi) {
        return Math.min(Math.max(x, lo), hi);
    }

    public static int clamp(int x, int lo, int hi) {
        return Math.min(Math.max(x, lo), hi);
    }

    // ---- gemmlowp fixed-point arithmetic (fixedpoint.h) and TFLite's softmax helpers (common.h,
    // quantization_util.cc), used by SOFTMAX and LOG_SOFTMAX. A raw int32 is a Q(integerBits).(31 - integerBits)
    // value; fixed-point products are SaturatingRoundingDoublingHighMul and sums wrap like the C++ int32 adds.

    /** gemmlowp's {@code SaturatingRoundingMultiplyByPOT<exponent>}: saturating left shift, or rounding right shift. */
    public static int saturatingRoundingMultiplyByPOT(int x, int exponent) {
        if (exponent == 0) return x;
        if (exponent < 0) return roundingDivideByPOT(x, -exponent);
        int threshold = (1 << (31 - exponent)) - 1;
        if (x > threshold) return Integer.MAX_VALUE;
        if (x < -threshold) return Integer.MIN_VALUE;
        return x << exponent;
    }

    /** gemmlowp's {@code Rescale<dstIntegerBits>} of a raw value with {@code srcIntegerBits} integer bits. */
    public static int rescaleFixedPoint(int raw, int srcIntegerBits, int dstIntegerBits) {
        return saturatingRoundingMultiplyByPOT(raw, srcIntegerBits - dstIntegerBits);
    }

    /** gemmlowp's {@code RoundingHalfSum} on int32: (a + b) / 2 rounded half away from zero, without overflow. */
    public static int roundingHalfSum(int a, int b) {
        long sum = (long) a + (long) b;
        long sign = sum >= 0 ? 1 : -1;
        return (int) ((sum + sign) / 2);
    }

    /** TFLite's {@code SaturatingAddNonGemmlowp} on int32. */
    public static int saturatingAddInt32(int a, int b) {
        long s = (long) a + (long) b;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, s));
    }

    /** TFLite's {@code SaturatingSub} on int32. */
    public static int saturatingSubInt32(int a, int b) {
        long s = (long) a - (long) b;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, s));
    }

    /** gemmlowp's {@code exp_on_interval_between_negative_one_quarter_and_0_excl} on a Q0.31 raw value. */
    public static int expOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a) {
        final int constantTerm = 1895147668; // exp(-1/8)
        final int constantOneOver3 = 715827883;
        int x = a + (1 << 28); // Taylor expansion around -1/8
        int x2 = saturatingRoundingDoublingHighMul(x, x);
        int x3 = saturatingRoundingDoublingHighMul(x2, x);
        int x4 = saturatingRoundingDoublingHighMul(x2, x2);
        int x4Over4 = saturatingRoundingMultiplyByPOT(x4, -2);
        int poly = saturatingRoundingMultiplyByPOT(
                saturatingRoundingDoublingHighMul(x4Over4 + x3, constantOneOver3) + x2, -1);
        return constantTerm + saturatingRoundingDoublingHighMul(constantTerm, x + poly);
    }

    private static final int[] EXP_BARREL_MULTIPLIERS = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};

    /**
     * gemmlowp's {@code exp_on_negative_values}: exp(a) for a ≤ 0 given as a raw value with {@code integerBits}
     * integer bits; the result is Q0.31.
     */
    public static int expOnNegativeValues(int a, int integerBits) {
        int fractionalBits = 31 - integerBits;
        int oneQuarter = 1 << (fractionalBits - 2);
        int mask = oneQuarter - 1;
        int aModQuarterMinusOneQuarter = (a & mask) - oneQuarter;
        int result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescaleFixedPoint(aModQuarterMinusOneQuarter, integerBits, 0));
        int remainder = aModQuarterMinusOneQuarter - a;
        // Barrel shifter over exponents -2..4: multiply by exp(-2^e) for every set bit of the remainder.
        for (int k = 0; k < EXP_BARREL_MULTIPLIERS.length; k++) {
            int exponent = k - 2;
            if (integerBits > exponent) {
                int shiftAmount = fractionalBits + exponent;
                if ((remainder & (1 << shiftAmount)) != 0) {
                    result = saturatingRoundingDoublingHighMul(result, EXP_BARREL_MULTIPLIERS[k]);
                }
            }
        }
        if (integerBits > 5) {
            int clamp = -(1 << (36 - integerBits)); // -32.0
            if (a < clamp) result = 0;
        }
        if (a == 0) result = Integer.MAX_VALUE; // exactly one
        return result;
    }

    /** gemmlowp's {@code one_over_one_plus_x_for_x_in_0_1} (Newton-Raphson); input and result are Q0.31. */
    public static int oneOverOnePlusXForXIn01(int a) {
        int halfDenominator = roundingHalfSum(a, Integer.MAX_VALUE);
        final int constant48Over17 = 1515870810; // Q2.29
        final int constantNeg32Over17 = -1010580540; // Q2.29
        int x = constant48Over17 + saturatingRoundingDoublingHighMul(halfDenominator, constantNeg32Over17);
        final int oneQ2 = 1 << 29;
        for (int i = 0; i < 3; i++) {
            int halfDenominatorTimesX = saturatingRoundingDoublingHighMul(halfDenominator, x);
            int oneMinusHalfDenominatorTimesX = oneQ2 - halfDenominatorTimesX;
            x = x + rescaleFixedPoint(saturatingRoundingDoublingHighMul(x, oneMinusHalfDenominatorTimesX), 4, 2);
        }
        // ExactMulByPot<-1> reinterprets Q2.29 as Q1.30; Rescale<0> then shifts left by one.
        return rescaleFixedPoint(x, 1, 0);
    }

    /**
     * TFLite's {@code GetReciprocal}: 1/x for a raw x with {@code xIntegerDigits} integer bits, as
     * {@code {Q0.31 reciprocal of the normalised x, num_bits_over_unit}}.
     */
    public static int[] getReciprocal(int x, int xIntegerDigits) {
        int headroomPlusOne = Integer.numberOfLeadingZeros(x);
        int numBitsOverUnit = xIntegerDigits - headroomPlusOne;
        int shiftedSumMinusOne = (x << headroomPlusOne) - (1 << 31);
        return new int[] {oneOverOnePlusXForXIn01(shiftedSumMinusOne), numBitsOverUnit};
    }

    /**
     * TFLite's {@code log_x_for_x_greater_than_or_equal_to_1<outputIntegerBits>} on a raw value with
     * {@code inputIntegerBits} integer bits.
     */
    public static int logXForXGreaterThanOrEqualTo1(int inputRaw, int inputIntegerBits, int outputIntegerBits) {
        final int accumIntegerBits = outputIntegerBits + 1; // headroom for z_pow_2_adj * log_2
        final int log2 = 1488522236;
        final int sqrtSqrtHalf = 1805811301;
        final int sqrtHalf = 1518500250;
        final int oneQuarter = 536870912;
        final int alphaN = 117049297;
        final int alphaD = 127690142;
        final int alphaI = 1057819769;
        final int alphaF = 638450708;

        int shiftedQuarter = rescaleFixedPoint(oneQuarter, 0, accumIntegerBits);
        int zA = inputRaw; // reinterpreted as Q0.31
        int zAHeadroomPlus1 = Integer.numberOfLeadingZeros(zA);
        int rATmp = saturatingRoundingMultiplyByPOT(zA, zAHeadroomPlus1 - 1);
        int rARaw = saturatingRoundingMultiplyByPOT(saturatingRoundingDoublingHighMul(rATmp, sqrtHalf), 1);
        int zAPow2Adj = saturatingAddInt32(
                saturatingRoundingMultiplyByPOT(inputIntegerBits - zAHeadroomPlus1, 31 - accumIntegerBits), shiftedQuarter);

        int zB = saturatingRoundingDoublingHighMul(zA, sqrtHalf);
        int zBHeadroom = Integer.numberOfLeadingZeros(zB) - 1;
        int rBRaw = saturatingRoundingMultiplyByPOT(zA, zBHeadroom);
        int zBPow2Adj = saturatingSubInt32(
                saturatingRoundingMultiplyByPOT(inputIntegerBits - zBHeadroom, 31 - accumIntegerBits), shiftedQuarter);

        int r = Math.min(rARaw, rBRaw);
        int zPow2Adj = Math.max(zAPow2Adj, zBPow2Adj);

        int p = roundingHalfSum(r, sqrtSqrtHalf);
        int q = r - sqrtSqrtHalf;
        q = q + q;

        int commonSq = saturatingRoundingDoublingHighMul(q, q);
        int num = saturatingRoundingDoublingHighMul(q, r)
                + saturatingRoundingDoublingHighMul(saturatingRoundingDoublingHighMul(q, commonSq), alphaN);
        int denomMinusOne0 = saturatingRoundingDoublingHighMul(p, alphaI + q + saturatingRoundingDoublingHighMul(alphaD, commonSq))
                + saturatingRoundingDoublingHighMul(alphaF, q);
        int recipDenom = oneOverOnePlusXForXIn01(denomMinusOne0);

        int numScaled = rescaleFixedPoint(num, 0, accumIntegerBits);
        int sum = saturatingRoundingDoublingHighMul(zPow2Adj, log2) + saturatingRoundingDoublingHighMul(numScaled, recipDenom);
        return rescaleFixedPoint(sum, accumIntegerBits, outputIntegerBits);
    }

    /**
     * TFLite's {@code PreprocessSoftmaxScaling} (double rounding: the multiplier is capped at 2^31 - 1), as
     * {@code {quantized_multiplier, left_shift}}.
     */
    public static int[] preprocessSoftmaxScaling(double beta, double inputScale, int inputIntegerBits) {
        double real = Math.min(beta * inputScale * (double) (1 << (31 - inputIntegerBits)), (double) ((1L << 31) - 1));
        return quantizeMultiplier(real);
    }

    /** TFLite's {@code CalculateInputRadius} with 31 total signed bits. */
    public static int calculateInputRadius(int inputIntegerBits, int inputLeftShift) {
        double maxInputRescaled = 1.0 * ((1 << inputIntegerBits) - 1) * (double) (1L << (31 - inputIntegerBits))
                / (double) (1L << inputLeftShift);
        return (int) Math.floor(maxInputRescaled);
    }
}
