package io.tinyfit.kernels;

/**
 * Bit-exact Java ports of the glibc 2.36 (x86-64) single-precision {@code expf}, {@code tanhf},
 * {@code logf} and {@code expm1f}.
 *
 * <p>The TFLite Micro reference kernels that tinyfit reproduces (SOFTMAX, LOG_SOFTMAX, LOGISTIC,
 * TANH, LSTM) call the C library's float math functions, and those are not correctly rounded: to
 * match the reference bit for bit we must reproduce glibc's exact arithmetic rather than use
 * {@link Math#exp} or {@link StrictMath#exp} followed by a float cast.
 *
 * <p>Reproduced routines:
 *
 * <ul>
 *   <li>{@link #expf}: {@code sysdeps/ieee754/flt-32/e_expf.c} (ARM optimized-routines, evaluated
 *       in double with the 32-entry {@code __exp2f_data} table from {@code e_exp2f_data.c}).
 *   <li>{@link #logf}: {@code sysdeps/ieee754/flt-32/e_logf.c} (ARM optimized-routines, evaluated
 *       in double with the 16-entry {@code __logf_data} table from {@code e_logf_data.c}).
 *   <li>{@link #tanhf}: {@code sysdeps/ieee754/flt-32/s_tanhf.c} (fdlibm, float arithmetic) on top
 *       of {@link #expm1f}: {@code sysdeps/ieee754/flt-32/s_expm1f.c} (fdlibm, float arithmetic).
 * </ul>
 *
 * <p>FMA contraction: on x86-64 CPUs with FMA and AVX2, glibc's ifunc resolver selects
 * {@code __expf_fma} / {@code __logf_fma}, which are the same C sources compiled with {@code -mfma
 * -mavx2}; GCC then contracts every eligible {@code a * b + c} into a fused multiply-add.
 * {@link #expf} and {@link #logf} therefore use {@link Math#fma} exactly where the disassembly of
 * the Debian 12 libm shows {@code vfmadd}/{@code vfmsub} instructions. Fusion is needed: checked
 * over all 2^32 inputs, an unfused {@code expf} differs from glibc for two of them ({@code
 * 0x4202422f} and {@code 0xc27c65d9}), while an unfused {@code logf} happens to agree everywhere
 * (it keeps the fused form to mirror the binary). {@code tanhf} and {@code expm1f} have no FMA
 * variant in glibc 2.36 and use plain float operations. These methods thus model the reference
 * runtime on an FMA-capable x86-64 host, which is where the reference outputs were produced; on
 * a CPU without FMA, {@link Math#fma} is correct but much slower.
 *
 * <p>Special inputs follow glibc too: NaN results carry the input's payload with the quiet bit set
 * (as x86 SSE arithmetic does), and an invalid {@code logf} argument yields the x86 default NaN
 * {@code 0xffc00000}. Because Java arithmetic does not guarantee NaN payload propagation, those
 * results are built from bits explicitly.
 */
public final class Libm {

    private Libm() {}

    /** x86 SSE sets this bit when an arithmetic operation propagates a (possibly signaling) NaN. */
    private static final int QUIET_NAN_BIT = 0x0040_0000;

    /** The NaN x86 produces for an invalid operation without NaN operands ("real indefinite"). */
    private static final float DEFAULT_NAN = Float.intBitsToFloat(0xffc0_0000);

    // ---------------------------------------------------------------------------------------------
    // expf
    // ---------------------------------------------------------------------------------------------

    private static final int EXP2F_TABLE_BITS = 5;
    private static final int EXP2F_N = 1 << EXP2F_TABLE_BITS;

    /**
     * {@code __exp2f_data.tab}: {@code tab[i] = uint(2^(i/N)) - (i << 52-BITS)}, so that adding
     * {@code k << (52-BITS)} to {@code tab[k % N]} yields the bits of {@code 2^(k/N)}.
     */
    private static final long[] EXP2F_TAB = {
        0x3ff0000000000000L, 0x3fefd9b0d3158574L, 0x3fefb5586cf9890fL, 0x3fef9301d0125b51L,
        0x3fef72b83c7d517bL, 0x3fef54873168b9aaL, 0x3fef387a6e756238L, 0x3fef1e9df51fdee1L,
        0x3fef06fe0a31b715L, 0x3feef1a7373aa9cbL, 0x3feedea64c123422L, 0x3feece086061892dL,
        0x3feebfdad5362a27L, 0x3feeb42b569d4f82L, 0x3feeab07dd485429L, 0x3feea47eb03a5585L,
        0x3feea09e667f3bcdL, 0x3fee9f75e8ec5f74L, 0x3feea11473eb0187L, 0x3feea589994cce13L,
        0x3feeace5422aa0dbL, 0x3feeb737b0cdc5e5L, 0x3feec49182a3f090L, 0x3feed503b23e255dL,
        0x3feee89f995ad3adL, 0x3feeff76f2fb5e47L, 0x3fef199bdd85529cL, 0x3fef3720dcef9069L,
        0x3fef5818dcfba487L, 0x3fef7c97337b9b5fL, 0x3fefa4afa2a490daL, 0x3fefd0765b6e4540L,
    };

    /** {@code __exp2f_data.invln2_scaled} = N / ln 2. */
    private static final double EXPF_INV_LN2_N = 0x1.71547652b82fep+5;

    /** {@code __exp2f_data.shift}: adding it rounds a double to an integer in the low mantissa bits. */
    private static final double EXPF_SHIFT = 0x1.8p+52;

    /** {@code __exp2f_data.poly_scaled}: the 2^(r/N) polynomial with the 1/N powers folded in. */
    private static final double EXPF_C0 = 0x1.c6af84b912394p-20;

    private static final double EXPF_C1 = 0x1.ebfce50fac4f3p-13;
    private static final double EXPF_C2 = 0x1.62e42ff0c52d6p-6;

    /** {@code top12(88.0f)}: at or above this |x| exponent field the special cases are checked. */
    private static final int EXPF_TOP12_88 = 0x42b;

    /**
     * e<sup>x</sup> as computed by glibc 2.36 {@code expf} (FMA variant), bit for bit.
     *
     * @param x the exponent
     * @return glibc's {@code expf(x)}
     */
    public static float expf(float x) {
        int ix = Float.floatToRawIntBits(x);
        int abstop = (ix >>> 20) & 0x7ff;
        if (abstop >= EXPF_TOP12_88) {
            // |x| >= 88 or x is NaN.
            if (ix == 0xff80_0000) {
                return 0.0f;
            }
            if (abstop >= 0x7f8) {
                return Float.isNaN(x) ? quiet(ix) : x; // x + x in C
            }
            if (x > 0x1.62e42ep6f) {
                return Float.POSITIVE_INFINITY; // __math_oflowf: 0x1p97f * 0x1p97f
            }
            if (x < -0x1.9fe368p6f) {
                return 0.0f; // __math_uflowf: 0x1p-95f * 0x1p-95f
            }
            if (x < -0x1.9d1d9ep6f) {
                // __math_may_uflowf (glibc builds with WANT_ERRNO_UFLOW): 0x1.4p-75f squared
                // rounds to the smallest subnormal.
                return Float.MIN_VALUE;
            }
        }
        double xd = x;
        // x*N/ln2 = k + r with integer k and |r| <= 1/2. GCC fuses both the rounding step
        // (InvLn2N * xd + SHIFT) and the remainder (InvLn2N * xd - kd), so the product
        // InvLn2N * xd is never rounded on its own.
        double shifted = Math.fma(EXPF_INV_LN2_N, xd, EXPF_SHIFT);
        long ki = Double.doubleToRawLongBits(shifted);
        double kd = shifted - EXPF_SHIFT;
        double r = Math.fma(EXPF_INV_LN2_N, xd, -kd);
        // exp(x) = 2^(k/N) * 2^(r/N) ~= s * (C0*r^3 + C1*r^2 + C2*r + 1)
        long t = EXP2F_TAB[(int) (ki & (EXP2F_N - 1))] + (ki << (52 - EXP2F_TABLE_BITS));
        double s = Double.longBitsToDouble(t);
        double z = Math.fma(EXPF_C0, r, EXPF_C1);
        double r2 = r * r;
        double y = Math.fma(EXPF_C2, r, 1.0);
        y = Math.fma(z, r2, y);
        y = y * s;
        return (float) y;
    }

    // ---------------------------------------------------------------------------------------------
    // logf
    // ---------------------------------------------------------------------------------------------

    private static final int LOGF_TABLE_BITS = 4;
    private static final int LOGF_N = 1 << LOGF_TABLE_BITS;

    /** Subinterval origin: the reduced argument z lies in [OFF, 2*OFF). */
    private static final int LOGF_OFF = 0x3f33_0000;

    /** {@code __logf_data.tab[i].invc}: 1/c for c near the center of subinterval i. */
    private static final double[] LOGF_INVC = {
        0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0,
        0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
        0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
        0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1,
    };

    /** {@code __logf_data.tab[i].logc}: log(c) for the same c. */
    private static final double[] LOGF_LOGC = {
        -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3,
        -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3, -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
        -0x1.252f438e10c1ep-5, 0x0p+0, 0x1.aa5aa5df25984p-5, 0x1.c5e53aa362eb4p-4,
        0x1.526e57720db08p-3, 0x1.bc2860d22477p-3, 0x1.1058bc8a07ee1p-2, 0x1.4043057b6ee09p-2,
    };

    /** {@code __logf_data.ln2}. */
    private static final double LOGF_LN2 = 0x1.62e42fefa39efp-1;

    /** {@code __logf_data.poly}: log1p(r) ~= r + A0*r^4 + A1*r^3 + A2*r^2. */
    private static final double LOGF_A0 = -0x1.00ea348b88334p-2;

    private static final double LOGF_A1 = 0x1.5575b0be00b6ap-2;
    private static final double LOGF_A2 = -0x1.ffffef20a4123p-2;

    /**
     * Natural logarithm as computed by glibc 2.36 {@code logf} (FMA variant), bit for bit.
     *
     * @param x the argument
     * @return glibc's {@code logf(x)}
     */
    public static float logf(float x) {
        int ix = Float.floatToRawIntBits(x);
        if (ix == 0x3f80_0000) {
            return 0.0f; // keeps +0 for x == 1 in every rounding mode
        }
        if (Integer.compareUnsigned(ix - 0x0080_0000, 0x7f80_0000 - 0x0080_0000) >= 0) {
            // x < 0x1p-126 (including negatives and zeros), +inf or NaN.
            if (ix << 1 == 0) {
                return Float.NEGATIVE_INFINITY; // __math_divzerof(1): -1.0f / 0.0f
            }
            if (ix == 0x7f80_0000) {
                return x;
            }
            if (Float.isNaN(x)) {
                return quiet(ix); // __math_invalidf: (x - x) / (x - x) propagates the NaN
            }
            if (ix < 0) {
                return DEFAULT_NAN; // __math_invalidf on a negative number
            }
            // Positive subnormal: scale it into the normal range, exactly, and undo the scale in k.
            ix = Float.floatToRawIntBits(x * 0x1p23f);
            ix -= 23 << 23;
        }
        // x = 2^k z, with z in [OFF, 2*OFF) exact; subinterval i of z has its centre near c.
        int tmp = ix - LOGF_OFF;
        int i = (tmp >>> (23 - LOGF_TABLE_BITS)) % LOGF_N;
        int k = tmp >> 23; // arithmetic shift
        int iz = ix - (tmp & (0x1ff << 23));
        double invc = LOGF_INVC[i];
        double logc = LOGF_LOGC[i];
        double z = Float.intBitsToFloat(iz);

        // log(x) = log1p(z/c - 1) + log(c) + k*ln2; every a*b + c below is fused in glibc's FMA build.
        double r = Math.fma(z, invc, -1.0);
        double y0 = Math.fma(k, LOGF_LN2, logc);
        double r2 = r * r;
        double y = Math.fma(LOGF_A1, r, LOGF_A2);
        y = Math.fma(LOGF_A0, r2, y);
        y = Math.fma(y, r2, y0 + r);
        return (float) y;
    }

    // ---------------------------------------------------------------------------------------------
    // expm1f and tanhf (fdlibm, float arithmetic, no FMA variant in glibc)
    // ---------------------------------------------------------------------------------------------

    private static final float HUGE = 1.0e+30f;
    private static final float TINY = 1.0e-30f;
    private static final float O_THRESHOLD = 8.8721679688e+01f; // 0x42b17180
    private static final float LN2_HI = 6.9313812256e-01f; // 0x3f317180
    private static final float LN2_LO = 9.0580006145e-06f; // 0x3717f7d1
    private static final float INV_LN2 = 1.4426950216e+00f; // 0x3fb8aa3b
    private static final float Q1 = -3.3333335072e-02f; // 0xbd088889
    private static final float Q2 = 1.5873016091e-03f; // 0x3ad00d01
    private static final float Q3 = -7.9365076090e-05f; // 0xb8a670cd
    private static final float Q4 = 4.0082177293e-06f; // 0x36867e54
    private static final float Q5 = -2.0109921195e-07f; // 0xb457edbb

    /**
     * e<sup>x</sup> - 1 as computed by glibc 2.36 {@code expm1f}, bit for bit. Used by {@link
     * #tanhf}.
     *
     * @param x the exponent
     * @return glibc's {@code expm1f(x)}
     */
    public static float expm1f(float x) {
        int hx = Float.floatToRawIntBits(x);
        boolean negative = hx < 0;
        hx &= 0x7fff_ffff;

        // Huge and non-finite arguments.
        if (hx >= 0x4195_b844) { // |x| >= 27*ln2
            if (hx >= 0x42b1_7218) { // |x| >= 88.721...
                if (hx > 0x7f80_0000) {
                    return quiet(Float.floatToRawIntBits(x)); // NaN: x + x
                }
                if (hx == 0x7f80_0000) {
                    return negative ? -1.0f : x;
                }
                if (x > O_THRESHOLD) {
                    return Float.POSITIVE_INFINITY; // huge * huge
                }
            }
            if (negative) {
                return TINY - 1.0f; // e^x is below half an ulp of 1: rounds to -1
            }
        }

        // Argument reduction: x = hi - lo = k*ln2 + r, |r| <= 0.5*ln2, c corrects the rounding of r.
        float hi;
        float lo;
        float c = 0.0f;
        int k;
        if (hx > 0x3eb1_7218) { // |x| > 0.5*ln2
            if (hx < 0x3f85_1592) { // and |x| < 1.5*ln2
                if (!negative) {
                    hi = x - LN2_HI;
                    lo = LN2_LO;
                    k = 1;
                } else {
                    hi = x + LN2_HI;
                    lo = -LN2_LO;
                    k = -1;
                }
            } else {
                k = (int) (INV_LN2 * x + (negative ? -0.5f : 0.5f)); // C truncates like Java
                float t = k;
                hi = x - t * LN2_HI; // t*ln2_hi is exact here
                lo = t * LN2_LO;
            }
            x = hi - lo;
            c = (hi - x) - lo;
        } else if (hx < 0x3300_0000) { // |x| < 2^-25: expm1(x) rounds to x
            // glibc computes x - ((huge + x) - (huge + x)), which is x (sign of zero included).
            return x;
        } else {
            k = 0;
        }

        // x is now in the primary range.
        float hfx = 0.5f * x;
        float hxs = x * hfx;
        float r1 = 1.0f + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
        float t = 3.0f - r1 * hfx;
        float e = hxs * ((r1 - t) / (6.0f - x * t));
        if (k == 0) {
            return x - (x * e - hxs); // c is 0
        }
        e = (x * (e - c) - c);
        e -= hxs;
        if (k == -1) {
            return 0.5f * (x - e) - 0.5f;
        }
        if (k == 1) {
            if (x < -0.25f) {
                return -2.0f * (e - (x + 0.5f));
            }
            return 1.0f + 2.0f * (x - e);
        }
        if (k <= -2 || k > 56) { // exp(x) - 1 is well approximated by exp(x)
            float y = 1.0f - (e - x);
            y = addToExponent(y, k);
            return y - 1.0f;
        }
        float y;
        if (k < 23) {
            float oneMinus = Float.intBitsToFloat(0x3f80_0000 - (0x0100_0000 >> k)); // 1 - 2^-k
            y = oneMinus - (e - x);
        } else {
            float pow = Float.intBitsToFloat((0x7f - k) << 23); // 2^-k
            y = x - (e + pow);
            y += 1.0f;
        }
        return addToExponent(y, k);
    }

    /**
     * Hyperbolic tangent as computed by glibc 2.36 {@code tanhf}, bit for bit.
     *
     * @param x the argument
     * @return glibc's {@code tanhf(x)}
     */
    public static float tanhf(float x) {
        int jx = Float.floatToRawIntBits(x);
        int ix = jx & 0x7fff_ffff;

        if (ix >= 0x7f80_0000) {
            if (ix > 0x7f80_0000) {
                return quiet(jx); // one/x +- one propagates the NaN
            }
            return jx >= 0 ? 1.0f : -1.0f; // one/x + one, one/x - one
        }

        float z;
        if (ix < 0x41b0_0000) { // |x| < 22
            if (ix == 0) {
                return x; // +-0
            }
            if (ix < 0x2400_0000) { // |x| < 2^-55
                return x * (1.0f + x);
            }
            if (ix >= 0x3f80_0000) { // |x| >= 1
                float t = expm1f(2.0f * Math.abs(x));
                z = 1.0f - 2.0f / (t + 2.0f);
            } else {
                float t = expm1f(-2.0f * Math.abs(x));
                z = -t / (t + 2.0f);
            }
        } else {
            z = 1.0f - TINY; // |x| >= 22: rounds to 1
        }
        return jx >= 0 ? z : -z;
    }

    /** Adds {@code k} to the biased exponent field of a normal float, as fdlibm's SET_FLOAT_WORD. */
    private static float addToExponent(float y, int k) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(y) + (k << 23));
    }

    /** The NaN x86 arithmetic returns for a NaN operand with bits {@code nanBits}. */
    private static float quiet(int nanBits) {
        return Float.intBitsToFloat(nanBits | QUIET_NAN_BIT);
    }
}
