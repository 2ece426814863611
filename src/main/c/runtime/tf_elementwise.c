/*
 * tinyfit C runtime: element-wise kernels, int8 (ADD, SUB, MUL, MAXIMUM, MINIMUM, LEAKY_RELU, QUANTIZE, RELU,
 * RELU6, DEQUANTIZE). The output region
 * is walked in raster order; per element, input 1 then input 2 are read at the same global coordinates (a
 * broadcast operand's view has stride 0 along the dimensions it is broadcast over), then the output is written,
 * which is the order of TFLM's flat and broadcast loops alike.
 */
#include "tf_access.h"

/* ADD and SUB: both inputs scaled to a common 2^left_shift fixed point, summed or subtracted, requantised. */
static void add_or_sub(const tf_add_params *p, const tf_view *in1, const tf_view *in2, const tf_view *out, const tf_region *r,
                       int32_t subtract) {
    int32_t b, y, x, c;
    TF_FOR_REGION(r, b, y, x, c) {
        const int32_t v1 = TF_LD_S8(tf_at(in1, b, y, x, c, 1));
        const int32_t v2 = TF_LD_S8(tf_at(in2, b, y, x, c, 1));
        const int32_t shifted1 = (p->input1_offset + v1) * (1 << p->left_shift);
        const int32_t shifted2 = (p->input2_offset + v2) * (1 << p->left_shift);
        const int32_t scaled1 = tf_mbqm_smaller_than_one(shifted1, p->input1_multiplier, p->input1_shift);
        const int32_t scaled2 = tf_mbqm_smaller_than_one(shifted2, p->input2_multiplier, p->input2_shift);
        const int32_t sum = subtract ? scaled1 - scaled2 : scaled1 + scaled2;
        const int32_t raw = tf_mbqm_smaller_than_one(sum, p->output_multiplier, p->output_shift) + p->output_offset;
        TF_ST_S8(tf_at(out, b, y, x, c, 1), tf_clamp(raw, p->act_min, p->act_max));
    }
}

void tf_add_s8(const tf_add_params *p, const tf_view *in1, const tf_view *in2, const tf_view *out, const tf_region *r) {
    add_or_sub(p, in1, in2, out, r, 0);
}

void tf_sub_s8(const tf_add_params *p, const tf_view *in1, const tf_view *in2, const tf_view *out, const tf_region *r) {
    add_or_sub(p, in1, in2, out, r, 1);
}

/* One element of MAXIMUM or MINIMUM in its own type. */
static void select_element(const tf_select_params *p, const uint8_t *a, const uint8_t *b, uint8_t *o) {
    if (p->element_type == TF_FLOAT32) {
        const float x = TF_LD_F32(a), y = TF_LD_F32(b);
        TF_ST_F32(o, p->maximum ? (x > y ? x : y) : (x < y ? x : y));
    } else if (p->element_type == TF_INT32) {
        const int32_t x = TF_LD_S32(a), y = TF_LD_S32(b);
        TF_ST_S32(o, p->maximum ? (x > y ? x : y) : (x < y ? x : y));
    } else if (p->element_type == TF_INT16) {
        const int32_t x = TF_LD_S16(a), y = TF_LD_S16(b);
        TF_ST_S16(o, p->maximum ? (x > y ? x : y) : (x < y ? x : y));
    } else {
        const int32_t x = TF_LD_S8(a), y = TF_LD_S8(b);
        TF_ST_S8(o, p->maximum ? (x > y ? x : y) : (x < y ? x : y));
    }
}

void tf_maximum_minimum(const tf_select_params *p, const tf_view *in1, const tf_view *in2, const tf_view *out, const tf_region *r) {
    const int32_t size = p->element_type == TF_INT8 ? 1 : p->element_type == TF_INT16 ? 2 : 4;
    int32_t b, y, x, c;
    TF_FOR_REGION(r, b, y, x, c) {
        select_element(p, tf_at(in1, b, y, x, c, size), tf_at(in2, b, y, x, c, size), tf_at(out, b, y, x, c, size));
    }
}

void tf_mul_s8(const tf_mul_params *p, const tf_view *in1, const tf_view *in2, const tf_view *out, const tf_region *r) {
    int32_t b, y, x, c;
    TF_FOR_REGION(r, b, y, x, c) {
        const int32_t v1 = p->input1_offset + TF_LD_S8(tf_at(in1, b, y, x, c, 1));
        const int32_t v2 = p->input2_offset + TF_LD_S8(tf_at(in2, b, y, x, c, 1));
        const int32_t raw = p->output_offset + tf_mbqm(v1 * v2, p->output_multiplier, p->output_shift);
        TF_ST_S8(tf_at(out, b, y, x, c, 1), tf_clamp(raw, p->act_min, p->act_max));
    }
}

void tf_leaky_relu_s8(const tf_leaky_relu_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    int32_t b, y, x, c;
    TF_FOR_REGION(r, b, y, x, c) {
        const int32_t v = TF_LD_S8(tf_at(in, b, y, x, c, 1)) - p->input_zero_point;
        const int32_t raw = v >= 0 ? p->output_zero_point + tf_mbqm(v, p->identity_multiplier, p->identity_shift)
                                   : p->output_zero_point + tf_mbqm(v, p->alpha_multiplier, p->alpha_shift);
        TF_ST_S8(tf_at(out, b, y, x, c, 1), tf_clamp(raw, -128, 127));
    }
}

/* std::round on a float without libm: halves away from zero (a - floor(a) is exact in float). */
static float round_half_away(float x) {
    float a, f, rounded;
    if (x != x) return x;
    a = x < 0 ? -x : x;
    if (a >= 8388608.0f) return x; /* 2^23 and above (and infinities) are integral already */
    f = (float) (int32_t) a;
    rounded = (a - f >= 0.5f) ? f + 1.0f : f;
    return x < 0 ? -rounded : rounded;
}

/* static_cast<int32_t> of a float as x86-64 executes it: NaN and out-of-range values give INT32_MIN. */
static int32_t float_to_int32(float f) {
    if (!(f >= -2147483648.0f && f < 2147483648.0f)) return INT32_MIN;
    return (int32_t) f;
}

void tf_quantize_f32_s8(const tf_quantize_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    int32_t b, y, x, c;
    TF_FOR_REGION(r, b, y, x, c) {
        const float v = TF_LD_F32(tf_at(in, b, y, x, c, 4));
        const int32_t q = float_to_int32(round_half_away(v / p->scale));
        const int32_t unclamped = (int32_t) ((uint32_t) q + (uint32_t) p->zero_point);
        TF_ST_S8(tf_at(out, b, y, x, c, 1), tf_clamp(unclamped, -128, 127));
    }
}

void tf_requantize_s8(const tf_requantize_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    int32_t b, y, x, c;
    TF_FOR_REGION(r, b, y, x, c) {
        const int32_t v = TF_LD_S8(tf_at(in, b, y, x, c, 1)) - p->input_zero_point;
        const int32_t raw = tf_mbqm(v, p->multiplier, p->shift) + p->output_zero_point;
        TF_ST_S8(tf_at(out, b, y, x, c, 1), tf_clamp(raw, p->act_min, p->act_max));
    }
}

void tf_dequantize_s8_f32(const tf_quantize_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    int32_t b, y, x, c;
    TF_FOR_REGION(r, b, y, x, c) {
        const int32_t q = TF_LD_S8(tf_at(in, b, y, x, c, 1));
        TF_ST_F32(tf_at(out, b, y, x, c, 4), p->scale * (float) (q - p->zero_point));
    }
}
