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

void tf_average_pool_s8(const tf_pool_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    int32_t b, oy, ox, c, fy, fx;
    for (b = r->lo[0]; b < r->hi[0]; b++)
        for (oy = r->lo[1]; oy < r->hi[1]; oy++)
            for (ox = r->lo[2]; ox < r->hi[2]; ox++)
                for (c = r->lo[3]; c < r->hi[3]; c++) {
                    const pool_window w = window_of(p, oy, ox);
                    int32_t acc = 0, count = 0;
                    for (fy = w.fy_start; fy < w.fy_end; fy++)
                        for (fx = w.fx_start; fx < w.fx_end; fx++) {
                            acc += TF_LD_S8(tf_at(in, b, w.y_origin + fy, w.x_origin + fx, c, 1));
                            count++;
                        }
                    /* round half away from zero with C's truncating division; an empty window cannot occur in a
                       model TFLM accepts, and is written as 0 here rather than divided by */
                    if (count == 0) acc = 0;
                    else if (acc > 0) acc = (acc + count / 2) / count;
                    else acc = (acc - count / 2) / count;
                    TF_ST_S8(tf_at(out, b, oy, ox, c, 1), tf_clamp(acc, p->act_min, p->act_max));
                }
}

void tf_max_pool_s8(const tf_pool_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    int32_t b, oy, ox, c, fy, fx;
    for (b = r->lo[0]; b < r->hi[0]; b++)
        for (oy = r->lo[1]; oy < r->hi[1]; oy++)
            for (ox = r->lo[2]; ox < r->hi[2]; ox++)
                for (c = r->lo[3]; c < r->hi[3]; c++) {
                    const pool_window w = window_of(p, oy, ox);
                    int32_t max = -128;
                    for (fy = w.fy_start; fy < w.fy_end; fy++)
                        for (fx = w.fx_start; fx < w.fx_end; fx++) {
                            max = tf_max(max, TF_LD_S8(tf_at(in, b, w.y_origin + fy, w.x_origin + fx, c, 1)));
                        }
                    TF_ST_S8(tf_at(out, b, oy, ox, c, 1), tf_clamp(max, p->act_min, p->act_max));
                }
}
