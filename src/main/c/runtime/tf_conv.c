/*
 * tinyfit C runtime: the convolution family (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED), int8.
 * Loop nests as TFLM's reference_integer_ops ConvPerChannel, DepthwiseConvPerChannel and FullyConnected: every
 * output element's sum is finished and stored before the next one starts, in the reference's order.
 */
#include "tf_access.h"

/* Bias, per-channel requantisation, output offset and activation clamp of one int32 sum. */
static inline int32_t finish_output(int32_t acc, const int32_t *bias, int32_t channel, int32_t requant_channel,
                                    const int32_t *multiplier, const int32_t *shift, int32_t output_offset,
                                    int32_t act_min, int32_t act_max) {
    if (bias) acc += TF_LDC_S32(bias + channel);
    acc = tf_mbqm(acc, multiplier[requant_channel], shift[requant_channel]);
    acc += output_offset;
    return tf_clamp(acc, act_min, act_max);
}

/*
 * CONV_2D and FULLY_CONNECTED come in three step kinds over one output region: compute (sum and finish each output
 * element), accumulate (add the sum over a slice of the input channels into an int32 view) and finish. A kernel
 * supplies the sum of one output element over a channel slice and the finish of one sum. The step loops are
 * inline, so each kernel's sum and finish are called directly, not through the pointers.
 */
typedef int32_t (*slice_sum)(const void *params, const tf_view *in, const int32_t o[4], int32_t lo, int32_t hi);
typedef int32_t (*sum_finish)(const void *params, int32_t acc, int32_t channel);

static inline void compute(const void *p, slice_sum sum, sum_finish finish, int32_t depth, const tf_view *in, const tf_view *out,
                    const tf_region *r) {
    int32_t o[4];
    TF_FOR_REGION(r, o[0], o[1], o[2], o[3]) {
        TF_ST_S8(tf_at(out, o[0], o[1], o[2], o[3], 1), finish(p, sum(p, in, o, 0, depth), o[3]));
    }
}

static inline void accumulate(const void *p, slice_sum sum, const tf_view *in, const tf_view *acc, const tf_region *r, int32_t lo,
                       int32_t hi, int32_t first) {
    int32_t o[4];
    TF_FOR_REGION(r, o[0], o[1], o[2], o[3]) {
        uint8_t *a = tf_at(acc, o[0], o[1], o[2], o[3], 4);
        const int32_t partial = sum(p, in, o, lo, hi);
        TF_ST_S32(a, first ? partial : (int32_t) ((uint32_t) TF_LD_S32(a) + (uint32_t) partial));
    }
}

static inline void finish_all(const void *p, sum_finish finish, const tf_view *acc, const tf_view *out, const tf_region *r) {
    int32_t o[4];
    TF_FOR_REGION(r, o[0], o[1], o[2], o[3]) {
        TF_ST_S8(tf_at(out, o[0], o[1], o[2], o[3], 1), finish(p, TF_LD_S32(tf_at(acc, o[0], o[1], o[2], o[3], 4)), o[3]));
    }
}

/*
 * CONV_2D: the sum of output (b, oy, ox, oc) over the input channels of its group inside [lo, hi), taps in image
 * order. The whole sum is lo = 0, hi = the group's end.
 */
static int32_t conv_sum(const void *params, const tf_view *in, const int32_t o[4], int32_t lo, int32_t hi) {
    const tf_conv_params *p = (const tf_conv_params *) params;
    const int32_t b = o[0], oc = o[3];
    const int32_t in_y0 = o[1] * p->stride_h - p->pad_h;
    const int32_t in_x0 = o[2] * p->stride_w - p->pad_w;
    const int32_t first_channel = (oc / p->filters_per_group) * p->filter_depth;
    const int32_t ic_lo = tf_max(lo, first_channel) - first_channel;
    const int32_t ic_hi = tf_min(hi, first_channel + p->filter_depth) - first_channel;
    const int32_t channel_stride = in->stride[3];
    int32_t acc = 0, fy, fx, ic;
    /* a slice outside this output channel's group adds nothing (and its input view need not hold the group) */
    if (ic_hi <= ic_lo) return 0;
    for (fy = 0; fy < p->filter_h; fy++) {
        const int32_t iy = in_y0 + p->dilation_h * fy;
        for (fx = 0; fx < p->filter_w; fx++) {
            const int32_t ix = in_x0 + p->dilation_w * fx;
            const int8_t *w;
            const uint8_t *x;
            /* padding is decided in global coordinates: only the tensor's own border pads */
            if (ix < 0 || ix >= p->in_w || iy < 0 || iy >= p->in_h) continue;
            w = p->filter + ((oc * p->filter_h + fy) * p->filter_w + fx) * p->filter_depth;
            x = tf_at(in, b, iy, ix, first_channel + ic_lo, 1);
            TF_CHECK(in, b, iy, ix, first_channel + ic_hi - 1);
            for (ic = ic_lo; ic < ic_hi; ic++) {
                acc += TF_LDC_S8(w + ic) * (TF_LD_S8(x) + p->input_offset);
                x += channel_stride;
            }
        }
    }
    return acc;
}

static int32_t conv_finish(const void *params, int32_t acc, int32_t oc) {
    const tf_conv_params *p = (const tf_conv_params *) params;
    return finish_output(acc, p->bias, oc, oc, p->multiplier, p->shift, p->output_offset, p->act_min, p->act_max);
}

void tf_conv2d_s8(const tf_conv_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    compute(p, conv_sum, conv_finish, INT32_MAX, in, out, r);
}

void tf_conv2d_acc_s8(const tf_conv_params *p, const tf_view *in, const tf_view *acc, const tf_region *r,
                      int32_t ic_lo, int32_t ic_hi, int32_t first) {
    accumulate(p, conv_sum, in, acc, r, ic_lo, ic_hi, first);
}

void tf_conv2d_finish_s8(const tf_conv_params *p, const tf_view *acc, const tf_view *out, const tf_region *r) {
    finish_all(p, conv_finish, acc, out, r);
}

/*
 * DEPTHWISE_CONV_2D: TFLM loops in_channel then m; output channel oc = in_channel * multiplier + m, so walking oc
 * upwards is the same order.
 */
void tf_depthwise_conv2d_s8(const tf_depthwise_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    int32_t b, oy, ox, oc, fy, fx;
    TF_FOR_REGION(r, b, oy, ox, oc) {
        const int32_t ic = p->depth_multiplier == 1 ? oc : oc / p->depth_multiplier;
        const int32_t in_x0 = ox * p->stride_w - p->pad_w;
        const int32_t in_y0 = oy * p->stride_h - p->pad_h;
        const int8_t *w = p->filter + oc;
        int32_t acc = 0;
        for (fy = 0; fy < p->filter_h; fy++) {
            const int32_t iy = in_y0 + p->dilation_h * fy;
            for (fx = 0; fx < p->filter_w; fx++) {
                const int32_t ix = in_x0 + p->dilation_w * fx;
                if (ix >= 0 && ix < p->in_w && iy >= 0 && iy < p->in_h) {
                    const int32_t x = TF_LD_S8(tf_at(in, b, iy, ix, ic, 1));
                    acc += TF_LDC_S8(w + (fy * p->filter_w + fx) * p->out_depth) * (x + p->input_offset);
                }
            }
        }
        TF_ST_S8(tf_at(out, b, oy, ox, oc, 1), finish_output(acc, p->bias, oc, oc, p->multiplier, p->shift, p->output_offset,
                                                          p->act_min, p->act_max));
    }
}

/* FULLY_CONNECTED: the sum of row (b0, b1, row) with weight row oc over depth [k_lo, k_hi). */
static int32_t fc_sum(const void *params, const tf_view *in, const int32_t o[4], int32_t k_lo, int32_t k_hi) {
    const tf_fc_params *p = (const tf_fc_params *) params;
    const int8_t *w = p->filter + o[3] * p->depth;
    const uint8_t *x = tf_at(in, o[0], o[1], o[2], k_lo, 1);
    const int32_t step = in->stride[3];
    int32_t acc = 0, k;
    if (k_hi > k_lo) TF_CHECK(in, o[0], o[1], o[2], k_hi - 1);
    for (k = k_lo; k < k_hi; k++) {
        acc += (TF_LDC_S8(w + k) + p->filter_offset) * (TF_LD_S8(x) + p->input_offset);
        x += step;
    }
    return acc;
}

static int32_t fc_finish(const void *params, int32_t acc, int32_t oc) {
    const tf_fc_params *p = (const tf_fc_params *) params;
    return finish_output(acc, p->bias, oc, p->per_channel ? oc : 0, p->multiplier, p->shift, p->output_offset,
                         p->act_min, p->act_max);
}

void tf_fully_connected_s8(const tf_fc_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    compute(p, fc_sum, fc_finish, p->depth, in, out, r);
}

void tf_fully_connected_acc_s8(const tf_fc_params *p, const tf_view *in, const tf_view *acc, const tf_region *r,
                               int32_t k_lo, int32_t k_hi, int32_t first) {
    accumulate(p, fc_sum, in, acc, r, k_lo, k_hi, first);
}

void tf_fully_connected_finish_s8(const tf_fc_params *p, const tf_view *acc, const tf_view *out, const tf_region *r) {
    finish_all(p, fc_finish, acc, out, r);
}
