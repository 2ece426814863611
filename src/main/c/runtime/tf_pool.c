/*
 * tinyfit C runtime: AVERAGE_POOL_2D and MAX_POOL_2D, int8, as TFLM's reference_integer_ops AveragePool and
 * MaxPool: batch, out_y, out_x, channel, then the window clipped to the (global) image.
 */
#include "tf_access.h"

/* The window of output (oy, ox): its top-left input position and the filter taps that fall inside the image. */
typedef struct {
    int32_t y_origin, x_origin, fy_start, fy_end, fx_start, fx_end;
} pool_window;

static pool_window window_of(const tf_pool_params *p, int32_t oy, int32_t ox) {
    pool_window w;
    w.x_origin = ox * p->stride_w - p->pad_w;
    w.y_origin = oy * p->stride_h - p->pad_h;
    w.fx_start = tf_max(0, -w.x_origin);
    w.fx_end = tf_min(p->filter_w, p->in_w - w.x_origin);
    w.fy_start = tf_max(0, -w.y_origin);
    w.fy_end = tf_min(p->filter_h, p->in_h - w.y_origin);
    return w;
}

/* Both pools in one loop nest: the window's sum and count (average) or its maximum. */
static void pool_s8(const tf_pool_params *p, const tf_view *in, const tf_view *out, const tf_region *r, int32_t average) {
    int32_t b, oy, ox, c, fy, fx;
    TF_FOR_REGION(r, b, oy, ox, c) {
        const pool_window w = window_of(p, oy, ox);
        int32_t acc = 0, count = 0, max = -128, value;
        for (fy = w.fy_start; fy < w.fy_end; fy++)
            for (fx = w.fx_start; fx < w.fx_end; fx++) {
                const int32_t x = TF_LD_S8(tf_at(in, b, w.y_origin + fy, w.x_origin + fx, c, 1));
                acc += x;
                max = tf_max(max, x);
                count++;
            }
        if (!average) value = max;
        /* round half away from zero with C's truncating division; an empty window cannot occur in a model TFLM
           accepts, and is written as 0 here rather than divided by */
        else if (count == 0) value = 0;
        else if (acc > 0) value = (acc + count / 2) / count;
        else value = (acc - count / 2) / count;
        TF_ST_S8(tf_at(out, b, oy, ox, c, 1), tf_clamp(value, p->act_min, p->act_max));
    }
}

void tf_average_pool_s8(const tf_pool_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    pool_s8(p, in, out, r, 1);
}

void tf_max_pool_s8(const tf_pool_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    pool_s8(p, in, out, r, 0);
}
