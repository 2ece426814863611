/*
 * tinyfit C runtime: MEAN, int8, as TFLite's reference_ops::QuantizedMeanOrSum: the output and the int32 sums are
 * zeroed, the input is walked in raster order adding each element into its output's sum, then every output is
 * requantised (the multiplier folds in 1 / count).
 */
#include "tf_access.h"

void tf_mean_s8(const tf_mean_params *p, const tf_view *in, const tf_view *temp, const tf_view *out, const tf_region *r) {
    int32_t lo[TF_DIMS], hi[TF_DIMS], i[TF_DIMS], o[TF_DIMS], d, b, y, x, c;
    TF_FOR_REGION(r, b, y, x, c) {
        TF_ST_S8(tf_at(out, b, y, x, c, 1), 0);
        TF_ST_S32(tf_at(temp, b, y, x, c, 4), 0);
    }
    /* the input elements that reduce into the region: all of a reduced dimension, the region's part of the rest */
    for (d = 0; d < TF_DIMS; d++) {
        lo[d] = p->reduced[d] ? 0 : r->lo[d];
        hi[d] = p->reduced[d] ? p->in_shape[d] : r->hi[d];
        if (hi[d] <= lo[d]) return;
    }
    for (i[0] = lo[0]; i[0] < hi[0]; i[0]++)
        for (i[1] = lo[1]; i[1] < hi[1]; i[1]++)
            for (i[2] = lo[2]; i[2] < hi[2]; i[2]++)
                for (i[3] = lo[3]; i[3] < hi[3]; i[3]++) {
                    uint8_t *sum;
                    for (d = 0; d < TF_DIMS; d++) o[d] = p->reduced[d] ? 0 : i[d];
                    sum = tf_at(temp, o[0], o[1], o[2], o[3], 4);
                    TF_ST_S32(sum, TF_LD_S32(sum) + TF_LD_S8(tf_at(in, i[0], i[1], i[2], i[3], 1)));
                }
    if (p->count == 0) return;
    TF_FOR_REGION(r, b, y, x, c) {
        const int64_t total = (int64_t) TF_LD_S32(tf_at(temp, b, y, x, c, 4));
        const int32_t shifted_sum = (int32_t) (total - (int64_t) p->input_zero_point * p->count);
        const int32_t value = tf_mbqm(shifted_sum, p->multiplier, p->shift) + p->output_zero_point;
        TF_ST_S8(tf_at(out, b, y, x, c, 1), tf_clamp(value, -128, 127));
    }
}
