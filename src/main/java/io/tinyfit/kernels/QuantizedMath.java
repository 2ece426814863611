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
                // TFLM's CalculateActivationRangeQuantized leaves the full type range for TANH and SIGN_BIT.
                return new int[] {qmin, qmax};
        }
    }

    /** kernel_util's {@code Quantize} lambda: {@code zero_point + (int32) TfLiteRound(f / scale)}. */
    private static int quantize(float f, float scale, int zeroPoint) {
        float t = f / scale;
        return zeroPoint + (int) round(t);
    }

    /** {@code CalculateActivationRange} for float kernels, as {@code {min, max}}. */
    public static float[] activationRangeFloat(int activation) {
        // TFLM uses numeric_limits<float>::lowest()/max(), not infinities: an infinite result clamps to ±FLT_MAX.
        return switch (activation) {
            case ACT_RELU -> new float[] {0f, Float.MAX_VALUE};
            case ACT_RELU6 -> new float[] {0f, 6f};
            case ACT_RELU_N1_TO_1 -> new float[] {-1f, 1f};
            default -> new float[] {-Float.MAX_VALUE, Float.MAX_VALUE};
        };
    }

    /**
     * {@code ActivationFunctionWithMinMax}: {@code std::min(std::max(x, lo), hi)} with C++ semantics
     * ({@code max(a, b) = a < b ? b : a}), which keep -0.0 and NaN where Java's Math.max/min would not.
     */
    public static float clamp(float x, float lo, float hi) {
        float m = x < lo ? lo : x;
        return hi < m ? hi : m;
    }

    public static int clamp(int x, int lo, int hi) {
        return Math.min(Math.max(x, lo), hi);
    }

    // ---- gemmlowp fixedpoint.h on int32 raw values (appended for LOGISTIC/TANH; generic for any user). ----
    // A FixedPoint<int32_t, k> value is passed as its raw int; "integerBits" is k. Additions and negations wrap
    // like the two's-complement int arithmetic the reference build performs.

    /** gemmlowp {@code SaturatingRoundingMultiplyByPOT<exponent>} on int32: saturating left shift or rounding right shift. */
    public static int saturatingRoundingMultiplyByPOT(int x, int exponent) {
        if (exponent == 0) return x;
        if (exponent < 0) return roundingDivideByPOT(x, -exponent);
        int threshold = (1 << (31 - exponent)) - 1;
        if (x > threshold) return Integer.MAX_VALUE;
        if (x < -threshold) return Integer.MIN_VALUE;
        return x << exponent;
    }

    /** gemmlowp {@code Rescale<dstIntegerBits>} of a value with {@code srcIntegerBits}. */
    public static int fixedPointRescale(int raw, int srcIntegerBits, int dstIntegerBits) {
        return saturatingRoundingMultiplyByPOT(raw, srcIntegerBits - dstIntegerBits);
    }

    /** gemmlowp {@code RoundingHalfSum} on int32: (a + b) / 2 rounded half away from zero. */
    public static int roundingHalfSum(int a, int b) {
        long sum = (long) a + (long) b;
        long sign = sum >= 0 ? 1 : -1;
        return (int) ((sum + sign) / 2);
    }

    /** gemmlowp {@code exp_on_interval_between_negative_one_quarter_and_0_excl} (Q0.31 in, Q0.31 out). */
    public static int expOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a) {
        final int constantTerm = 1895147668;      // exp(-1/8)
        final int constant1Over3 = 715827883;     // 1/3
        int x = a + (1 << 28);                    // a + 1/8
        int x2 = saturatingRoundingDoublingHighMul(x, x);
        int x3 = saturatingRoundingDoublingHighMul(x2, x);
        int x4 = saturatingRoundingDoublingHighMul(x2, x2);
        int x4Over4 = saturatingRoundingMultiplyByPOT(x4, -2);
        int poly = saturatingRoundingMultiplyByPOT(
                saturatingRoundingDoublingHighMul(x4Over4 + x3, constant1Over3) + x2, -1);
        return constantTerm + saturatingRoundingDoublingHighMul(constantTerm, x + poly);
    }

    /** gemmlowp {@code exp_on_negative_values} of a value with {@code integerBits} integer bits (result Q0.31). */
    public static int expOnNegativeValues(int a, int integerBits) {
        final int fractionalBits = 31 - integerBits;
        final int oneQuarter = 1 << (fractionalBits - 2);
        int mask = oneQuarter - 1;
        int aModQuarterMinusOneQuarter = (a & mask) - oneQuarter;
        int result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(
                fixedPointRescale(aModQuarterMinusOneQuarter, integerBits, 0));
        int remainder = aModQuarterMinusOneQuarter - a;
        final int[] exponents = {-2, -1, 0, 1, 2, 3, 4};
        final int[] multipliers = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
        for (int k = 0; k < exponents.length; k++) {
            if (integerBits > exponents[k]) {
                int shift = fractionalBits + exponents[k];
                if ((remainder & (1 << shift)) != 0) result = saturatingRoundingDoublingHighMul(result, multipliers[k]);
            }
        }
        if (integerBits > 5) {
            int clamp = -(1 << (36 - integerBits)); // -32.0
            if (a < clamp) result = 0;
        }
        if (a == 0) result = Integer.MAX_VALUE;
        return result;
    }

    /** gemmlowp {@code one_over_one_plus_x_for_x_in_0_1} (Q0.31 in and out), Newton-Raphson in Q2.29. */
    public static int oneOverOnePlusXForXIn01(int a) {
        return newtonHalfDenominatorReciprocal(a, true);
    }

    /** gemmlowp {@code one_minus_x_over_one_plus_x_for_x_in_0_1} (Q0.31 in and out). */
    public static int oneMinusXOverOnePlusXForXIn01(int a) {
        return newtonHalfDenominatorReciprocal(a, false);
    }

    private static int newtonHalfDenominatorReciprocal(int a, boolean oneOver) {
        int halfDenominator = roundingHalfSum(a, Integer.MAX_VALUE);
        final int constant48Over17 = 1515870810;
        final int constantNeg32Over17 = -1010580540;
        final int f2One = 1 << 29;
        int x = constant48Over17 + saturatingRoundingDoublingHighMul(halfDenominator, constantNeg32Over17);
        for (int i = 0; i < 3; i++) {
            int halfDenominatorTimesX = saturatingRoundingDoublingHighMul(halfDenominator, x);
            int oneMinus = f2One - halfDenominatorTimesX;
            x = x + fixedPointRescale(saturatingRoundingDoublingHighMul(x, oneMinus), 4, 2);
        }
        // 1/(1+a): Rescale<0>(ExactMulByPot<-1>(x)), x read as Q1.30; (1-a)/(1+a): Rescale<0>(x - 1) from Q2.29.
        return oneOver ? fixedPointRescale(x, 1, 0) : fixedPointRescale(x - f2One, 2, 0);
    }

    /** gemmlowp {@code logistic} of a value with {@code integerBits} integer bits (result Q0.31). */
    public static int fixedPointLogistic(int a, int integerBits) {
        boolean positive = a > 0;
        int absInput = positive ? a : -a;
        int resultIfPositive = oneOverOnePlusXForXIn01(expOnNegativeValues(-absInput, integerBits));
        int resultIfNegative = Integer.MAX_VALUE - resultIfPositive;
        if (a == 0) return 1 << 30;
        return positive ? resultIfPositive : resultIfNegative;
    }

    /** gemmlowp {@code tanh} of a value with {@code integerBits} integer bits (result Q0.31). */
    public static int fixedPointTanh(int a, int integerBits) {
        boolean negative = a < 0;
        int n = negative ? a : -a;
        // neg_tanh_on_negative_values: ExactMulByPot<1> keeps the raw value and adds an integer bit.
        int t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, integerBits + 1));
        if (a == 0) return 0;
        return negative ? -t : t;
    }
}
