/*
 * tinyfit C runtime: the convolution family (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED), int8.
 * Loop nests as TFLM's reference_integer_ops ConvPerChannel, DepthwiseConvPerChannel and FullyConnected: every
 * output element's sum is finished and stored before the next one starts, in the reference's order.
 */
#include "tf_access.h"

/* Bias, per-channel requantisation, output offset and activation clamp of one int32 sum. */
static int32_t finish_output(int32_t acc, const int32_t *bias, int32_t channel, int32_t requant_channel,
                             const int32_t *multiplier, const int32_t *shift, int32_t output_offset,
                             int32_t act_min, int32_t act_max) {
    if (bias) acc += TF_LDC_S32(bias + channel);
    acc = tf_mbqm(acc, multiplier[requant_channel], shift[requant_channel]);
    acc += output_offset;
    return tf_clamp(acc, act_min, act_max);
}

/* CONV_2D: the sum of output (b, oy, ox, oc) over filter input channels [ic_lo, ic_hi), taps in image order. */
static int32_t conv_sum(const tf_conv_params *p, const tf_view *in, int32_t b, int32_t oy, int32_t ox, int32_t oc,
                        int32_t ic_lo, int32_t ic_hi) {
    const int32_t in_y0 = oy * p->stride_h - p->pad_h;
    const int32_t in_x0 = ox * p->stride_w - p->pad_w;
    const int32_t first_channel = (oc / p->filters_per_group) * p->filter_depth;
    const int32_t channel_stride = in->stride[3];
    int32_t acc = 0, fy, fx, ic;
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
            if (ic_hi > ic_lo) TF_CHECK(in, b, iy, ix, first_channel + ic_hi - 1);
            for (ic = ic_lo; ic < ic_hi; ic++) {
                acc += TF_LDC_S8(w + ic) * (TF_LD_S8(x) + p->input_offset);
                x += channel_stride;
            }
        }
    }
    return acc;
}

void tf_conv2d_s8(const tf_conv_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    int32_t b, oy, ox, oc;
    for (b = r->lo[0]; b < r->hi[0]; b++)
        for (oy = r->lo[1]; oy < r->hi[1]; oy++)
            for (ox = r->lo[2]; ox < r->hi[2]; ox++)
                for (oc = r->lo[3]; oc < r->hi[3]; oc++) {
                    int32_t acc = conv_sum(p, in, b, oy, ox, oc, 0, p->filter_depth);
                    TF_ST_S8(tf_at(out, b, oy, ox, oc, 1), finish_output(acc, p->bias, oc, oc, p->multiplier, p->shift,
                                                                      p->output_offset, p->act_min, p->act_max));
                }
}

void tf_conv2d_acc_s8(const tf_conv_params *p, const tf_view *in, const tf_view *acc, const tf_region *r,
                      int32_t ic_lo, int32_t ic_hi) {
    int32_t b, oy, ox, oc;
    for (b = r->lo[0]; b < r->hi[0]; b++)
        for (oy = r->lo[1]; oy < r->hi[1]; oy++)
            for (ox = r->lo[2]; ox < r->hi[2]; ox++)
                for (oc = r->lo[3]; oc < r->hi[3]; oc++) {
                    uint8_t *a = tf_at(acc, b, oy, ox, oc, 4);
                    int32_t partial = conv_sum(p, in, b, oy, ox, oc, ic_lo, ic_hi);
                    TF_ST_S32(a, TF_LD_S32(a) + partial);
                }
}

void tf_conv2d_finish_s8(const tf_conv_params *p, const tf_view *acc, const tf_view *out, const tf_region *r) {
    int32_t b, oy, ox, oc;
    for (b = r->lo[0]; b < r->hi[0]; b++)
        for (oy = r->lo[1]; oy < r->hi[1]; oy++)
            for (ox = r->lo[2]; ox < r->hi[2]; ox++)
                for (oc = r->lo[3]; oc < r->hi[3]; oc++) {
                    int32_t sum = TF_LD_S32(tf_at(acc, b, oy, ox, oc, 4));
                    TF_ST_S8(tf_at(out, b, oy, ox, oc, 1), finish_output(sum, p->bias, oc, oc, p->multiplier, p->shift,
                                                                      p->output_offset, p->act_min, p->act_max));
                }
}

/*
 * DEPTHWISE_CONV_2D: TFLM loops in_channel then m; output channel oc = in_channel * multiplier + m, so walking oc
 * upwards is the same order.
 */
void tf_depthwise_conv2d_s8(const tf_depthwise_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    int32_t b, oy, ox, oc, fy, fx;
    for (b = r->lo[0]; b < r->hi[0]; b++)
        for (oy = r->lo[1]; oy < r->hi[1]; oy++)
            for (ox = r->lo[2]; ox < r->hi[2]; ox++)
                for (oc = r->lo[3]; oc < r->hi[3]; oc++) {
                    const int32_t ic = oc / p->depth_multiplier;
                    const int32_t in_x0 = ox * p->stride_w - p->pad_w;
                    const int32_t in_y0 = oy * p->stride_h - p->pad_h;
                    int32_t acc = 0;
                    for (fy = 0; fy < p->filter_h; fy++) {
                        for (fx = 0; fx < p->filter_w; fx++) {
                            const int32_t ix = in_x0 + p->dilation_w * fx;
                            const int32_t iy = in_y0 + p->dilation_h * fy;
                            if (ix >= 0 && ix < p->in_w && iy >= 0 && iy < p->in_h) {
                                int32_t x = TF_LD_S8(tf_at(in, b, iy, ix, ic, 1));
                                int32_t w = TF_LDC_S8(p->filter + (fy * p->filter_w + fx) * p->out_depth + oc);
                                acc += w * (x + p->input_offset);
                            }
                        }
                    }
                    TF_ST_S8(tf_at(out, b, oy, ox, oc, 1), finish_output(acc, p->bias, oc, oc, p->multiplier, p->shift,
                                                                      p->output_offset, p->act_min, p->act_max));
                }
}

/* FULLY_CONNECTED: the sum of row (b0, b1, row) with weight row oc over depth [k_lo, k_hi). */
static int32_t fc_sum(const tf_fc_params *p, const tf_view *in, int32_t b0, int32_t b1, int32_t row, int32_t oc,
                      int32_t k_lo, int32_t k_hi) {
    const int8_t *w = p->filter + oc * p->depth;
    const uint8_t *x = tf_at(in, b0, b1, row, k_lo, 1);
    const int32_t step = in->stride[3];
    int32_t acc = 0, k;
    if (k_hi > k_lo) TF_CHECK(in, b0, b1, row, k_hi - 1);
    for (k = k_lo; k < k_hi; k++) {
        acc += (TF_LDC_S8(w + k) + p->filter_offset) * (TF_LD_S8(x) + p->input_offset);
        x += step;
    }
    return acc;
}

static int32_t fc_finish(const tf_fc_params *p, int32_t acc, int32_t oc) {
    return finish_output(acc, p->bias, oc, p->per_channel ? oc : 0, p->multiplier, p->shift, p->output_offset,
                         p->act_min, p->act_max);
}

void tf_fully_connected_s8(const tf_fc_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    int32_t b0, b1, row, oc;
    for (b0 = r->lo[0]; b0 < r->hi[0]; b0++)
        for (b1 = r->lo[1]; b1 < r->hi[1]; b1++)
            for (row = r->lo[2]; row < r->hi[2]; row++)
                for (oc = r->lo[3]; oc < r->hi[3]; oc++) {
                    int32_t acc = fc_sum(p, in, b0, b1, row, oc, 0, p->depth);
                    TF_ST_S8(tf_at(out, b0, b1, row, oc, 1), fc_finish(p, acc, oc));
                }
}

void tf_fully_connected_acc_s8(const tf_fc_params *p, const tf_view *in, const tf_view *acc, const tf_region *r,
                               int32_t k_lo, int32_t k_hi) {
    int32_t b0, b1, row, oc;
    for (b0 = r->lo[0]; b0 < r->hi[0]; b0++)
        for (b1 = r->lo[1]; b1 < r->hi[1]; b1++)
            for (row = r->lo[2]; row < r->hi[2]; row++)
                for (oc = r->lo[3]; oc < r->hi[3]; oc++) {
                    uint8_t *a = tf_at(acc, b0, b1, row, oc, 4);
                    int32_t partial = fc_sum(p, in, b0, b1, row, oc, k_lo, k_hi);
                    TF_ST_S32(a, TF_LD_S32(a) + partial);
                }
}

void tf_fully_connected_finish_s8(const tf_fc_params *p, const tf_view *acc, const tf_view *out, const tf_region *r) {
    int32_t b0, b1, row, oc;
    for (b0 = r->lo[0]; b0 < r->hi[0]; b0++)
        for (b1 = r->lo[1]; b1 < r->hi[1]; b1++)
            for (row = r->lo[2]; row < r->hi[2]; row++)
                for (oc = r->lo[3]; oc < r->hi[3]; oc++) {
                    int32_t sum = TF_LD_S32(tf_at(acc, b0, b1, row, oc, 4));
                    TF_ST_S8(tf_at(out, b0, b1, row, oc, 1), fc_finish(p, sum, oc));
                }
}
