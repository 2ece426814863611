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

    /** {@link #activationRange(int, DType, float, int)} on an output view's type and quantisation. */
    public static int[] activationRange(int activation, View out) {
        return activationRange(activation, out.dtype(), out.scale(), out.zeroPoint());
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

    /**
     * common.h's {@code sigmoid_table_uint16}: sigmoid(i / 24) in unsigned Q0.16, i = 0..255, shared by the
     * int16 LUT sigmoid and tanh (tanh(x) = 2 sigmoid(2x) - 1; both are symmetric, so only |x| is tabulated).
     */
    private static final int[] SIGMOID_TABLE_UINT16 = {
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

    /**
     * {@code reference_integer_ops::Logistic} on int16 (LUT with linear interpolation), one element. The caller
     * passes the raw input multiplier and left shift as the kernel's Prepare computed them; multiplier 0 selects
     * the power-of-two case (multiplier 3 << shift, shift 0), as in the reference.
     */
    public static int logisticInt16(int x, int inputMultiplier, int inputLeftShift) {
        if (inputMultiplier == 0) {
            inputMultiplier = 3 << inputLeftShift;
            inputLeftShift = 0;
        }
        int round = inputLeftShift > 0 ? 1 << (inputLeftShift - 1) : 0;
        int in = (x * inputMultiplier + round) >> inputLeftShift;
        int abs = Math.abs(in);
        int uh = abs >>> 9; // 2^7 for the input conversion, 1/4 from the 3/4 range expansion
        int result;
        if (uh >= 255) {
            result = 0x7FFF << 10;
        } else {
            int ua = SIGMOID_TABLE_UINT16[uh];
            int ub = SIGMOID_TABLE_UINT16[uh + 1];
            int ut = abs & 0x1FF;
            result = (ua << 9) + ut * (ub - ua);
        }
        // Unsigned 32-bit arithmetic in the reference; every value here stays below 2^26, so int is exact.
        result = in >= 0 ? result + (1 << 9) : (1 << (16 + 9)) - result + (1 << 9) - 1;
        return (short) (result >>> 10);
    }

    /**
     * {@code reference_integer_ops::Tanh} on int16 (the sigmoid LUT read at twice the argument), one element.
     * Multiplier 0 selects the power-of-two case, as in {@link #logisticInt16}.
     */
    public static int tanhInt16(int x, int inputMultiplier, int inputLeftShift) {
        if (inputMultiplier == 0) {
            inputMultiplier = 3 << inputLeftShift;
            inputLeftShift = 0;
        }
        int round = inputLeftShift > 0 ? 1 << (inputLeftShift - 1) : 0;
        int in = (x * inputMultiplier + round) >> inputLeftShift;
        int abs = Math.abs(in);
        int uh = abs >>> 8;
        int result;
        if (uh >= 255) {
            result = 0xFFFF << 8;
        } else {
            int ua = SIGMOID_TABLE_UINT16[uh];
            int ub = SIGMOID_TABLE_UINT16[uh + 1];
            int ut = abs & 0xFF;
            result = (ua << 8) + ut * (ub - ua);
        }
        // Signed here (int32_t in the reference): the negative branch can go below zero; >> is arithmetic as in GCC.
        result = in >= 0 ? result - (1 << (14 + 9)) + (1 << (9 - 2)) : -result + (1 << (14 + 9)) + (1 << (9 - 2)) - 1;
        return (short) (result >> (9 - 1));
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

        int shiftedQuarter = fixedPointRescale(oneQuarter, 0, accumIntegerBits);
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

        int numScaled = fixedPointRescale(num, 0, accumIntegerBits);
        int sum = saturatingRoundingDoublingHighMul(zPow2Adj, log2) + saturatingRoundingDoublingHighMul(numScaled, recipDenom);
        return fixedPointRescale(sum, accumIntegerBits, outputIntegerBits);
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
