/*
 * tinyfit C runtime: SOFTMAX, int8 input, int8 or int16 output, as TFLite's reference_ops::Softmax for 8-bit
 * inputs: per row a max pass, a pass summing exp(x - max) in Q12.19, then an output pass, each reading the row
 * again. The gemmlowp fixed-point functions it needs are written out here on raw int32 values.
 */
#include "tf_access.h"

#define SCALED_DIFF_INTEGER_BITS 5
#define ACCUMULATION_INTEGER_BITS 12

/* gemmlowp SaturatingRoundingMultiplyByPOT: a saturating left shift, or a rounding right shift. */
static int32_t srm_by_pot(int32_t x, int32_t exponent) {
    int32_t threshold;
    if (exponent == 0) return x;
    if (exponent < 0) return tf_rdbpot(x, -exponent);
    threshold = (int32_t) (((int64_t) 1 << (31 - exponent)) - 1);
    if (x > threshold) return INT32_MAX;
    if (x < -threshold) return INT32_MIN;
    return tf_shl(x, exponent);
}

/* gemmlowp exp_on_interval_between_negative_one_quarter_and_0_excl (Q0.31 in and out). */
static int32_t exp_on_quarter_interval(int32_t a) {
    const int32_t constant_term = 1895147668;  /* exp(-1/8) */
    const int32_t constant_1_over_3 = 715827883;
    const int32_t x = a + (1 << 28);           /* a + 1/8 */
    const int32_t x2 = tf_srdhm(x, x);
    const int32_t x3 = tf_srdhm(x2, x);
    const int32_t x4 = tf_srdhm(x2, x2);
    const int32_t x4_over_4 = srm_by_pot(x4, -2);
    const int32_t poly = srm_by_pot(tf_srdhm(x4_over_4 + x3, constant_1_over_3) + x2, -1);
    return constant_term + tf_srdhm(constant_term, x + poly);
}

/* gemmlowp exp_on_negative_values of a value with SCALED_DIFF_INTEGER_BITS integer bits (result Q0.31). */
static int32_t exp_on_negative_values(int32_t a) {
    static const int32_t multipliers[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    const int32_t fractional_bits = 31 - SCALED_DIFF_INTEGER_BITS;
    const int32_t one_quarter = 1 << (fractional_bits - 2);
    const int32_t mask = one_quarter - 1;
    const int32_t a_mod_quarter_minus_one_quarter = (a & mask) - one_quarter;
    const int32_t remainder = a_mod_quarter_minus_one_quarter - a;
    int32_t result = exp_on_quarter_interval(srm_by_pot(a_mod_quarter_minus_one_quarter, SCALED_DIFF_INTEGER_BITS));
    int32_t k;
    for (k = 0; k < 7; k++) {
        const int32_t exponent = k - 2; /* the barrel shifter's exponents -2..4, all below 5 integer bits */
        if (remainder & (1 << (fractional_bits + exponent))) result = tf_srdhm(result, multipliers[k]);
    }
    return a == 0 ? INT32_MAX : result;
}

/* gemmlowp RoundingHalfSum. */
static int32_t rounding_half_sum(int32_t a, int32_t b) {
    const int64_t sum = (int64_t) a + (int64_t) b;
    const int64_t sign = sum >= 0 ? 1 : -1;
    return (int32_t) ((sum + sign) / 2);
}

/* gemmlowp one_over_one_plus_x_for_x_in_0_1 (Q0.31 in and out), Newton-Raphson in Q2.29. */
static int32_t one_over_one_plus_x(int32_t a) {
    const int32_t half_denominator = rounding_half_sum(a, INT32_MAX);
    const int32_t constant_48_over_17 = 1515870810;
    const int32_t constant_neg_32_over_17 = -1010580540;
    const int32_t one = 1 << 29;
    int32_t x = constant_48_over_17 + tf_srdhm(half_denominator, constant_neg_32_over_17);
    int32_t i;
    for (i = 0; i < 3; i++) {
        const int32_t half_denominator_times_x = tf_srdhm(half_denominator, x);
        const int32_t one_minus = one - half_denominator_times_x;
        x = x + srm_by_pot(tf_srdhm(x, one_minus), 2);
    }
    return srm_by_pot(x, 1);
}

static int32_t count_leading_zeros(uint32_t x) {
    int32_t n = 0;
    if (x == 0) return 32;
    while (!(x & 0x80000000u)) {
        x <<= 1;
        n++;
    }
    return n;
}

void tf_softmax_s8(const tf_softmax_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    const int32_t out_min = p->output_bits == 16 ? -32768 : -128;
    const int32_t out_max = p->output_bits == 16 ? 32767 : 127;
    int32_t b0, b1, row, c;
    for (b0 = r->lo[0]; b0 < r->hi[0]; b0++)
        for (b1 = r->lo[1]; b1 < r->hi[1]; b1++)
            for (row = r->lo[2]; row < r->hi[2]; row++) {
                int32_t max_in_row = -128, sum_of_exps = 0, headroom_plus_one, shifted_scale, exponent;
                for (c = r->lo[3]; c < r->hi[3]; c++) max_in_row = tf_max(max_in_row, TF_LD_S8(tf_at(in, b0, b1, row, c, 1)));
                for (c = r->lo[3]; c < r->hi[3]; c++) {
                    const int32_t diff = TF_LD_S8(tf_at(in, b0, b1, row, c, 1)) - max_in_row;
                    if (diff >= p->diff_min) {
                        const int32_t rescaled = tf_srdhm(tf_shl(diff, p->input_beta_left_shift), p->input_beta_multiplier);
                        sum_of_exps += srm_by_pot(exp_on_negative_values(rescaled), -ACCUMULATION_INTEGER_BITS);
                    }
                }
                /* GetReciprocal: 1 / sum with the sum normalised into [1, 2) */
                headroom_plus_one = count_leading_zeros((uint32_t) sum_of_exps);
                shifted_scale = one_over_one_plus_x((int32_t) (((uint32_t) sum_of_exps << headroom_plus_one) - 0x80000000u));
                exponent = ACCUMULATION_INTEGER_BITS - headroom_plus_one + 31 - p->output_bits;
                for (c = r->lo[3]; c < r->hi[3]; c++) {
                    const int32_t diff = TF_LD_S8(tf_at(in, b0, b1, row, c, 1)) - max_in_row;
                    int32_t value = out_min;
                    if (diff >= p->diff_min) {
                        const int32_t rescaled = tf_srdhm(tf_shl(diff, p->input_beta_left_shift), p->input_beta_multiplier);
                        const int32_t unsaturated = tf_rdbpot(tf_srdhm(shifted_scale, exp_on_negative_values(rescaled)), exponent);
                        value = tf_clamp(unsaturated + out_min, out_min, out_max);
                    }
                    if (p->output_bits == 16) TF_ST_S16(tf_at(out, b0, b1, row, c, 2), value);
                    else TF_ST_S8(tf_at(out, b0, b1, row, c, 1), value);
                }
            }
}
