/*
 * tinyfit C runtime: kernels that only move data, for any element size. Each walks its output region in raster
 * order and moves one element at a time, byte by byte, as TFLM's element loops and slab copies do.
 */
#include "tf_access.h"

void tf_copy_region(const tf_view *dst, const tf_view *src, const tf_region *r, int32_t element_bytes) {
    int32_t b, y, x, c;
    TF_FOR_REGION(r, b, y, x, c) {
        TF_MOVE(tf_at(dst, b, y, x, c, element_bytes), tf_at(src, b, y, x, c, element_bytes), element_bytes);
    }
}

void tf_reshape(const tf_view *in, const tf_view *out, int32_t bytes) {
    /* TFLM compares the data pointers: an aliased reshape costs nothing */
    if (in->data == out->data) return;
    tf_move_bytes((uint8_t *) out->data, (const uint8_t *) in->data, bytes);
}

void tf_reshape_region(const tf_reshape_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    const int32_t size = p->element_bytes;
    int32_t o[TF_DIMS], i[TF_DIMS], d;
    TF_FOR_REGION(r, o[0], o[1], o[2], o[3]) {
        int32_t flat = 0;
        for (d = 0; d < TF_DIMS; d++) flat = flat * p->out_shape[d] + o[d];
        for (d = TF_DIMS - 1; d >= 0; d--) {
            i[d] = flat % p->in_shape[d];
            flat /= p->in_shape[d];
        }
        TF_MOVE(tf_at(out, o[0], o[1], o[2], o[3], size), tf_at(in, i[0], i[1], i[2], i[3], size), size);
    }
}

void tf_copy_tensor(const tf_view *in, const tf_view *out, int32_t bytes) {
    tf_move_bytes((uint8_t *) out->data, (const uint8_t *) in->data, bytes);
}

void tf_pad(const tf_pad_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    const int32_t size = p->element_bytes;
    int32_t o[TF_DIMS], i[TF_DIMS], d;
    TF_FOR_REGION(r, o[0], o[1], o[2], o[3]) {
        int32_t inside = 1;
        uint8_t *dst = tf_at(out, o[0], o[1], o[2], o[3], size);
        for (d = 0; d < TF_DIMS; d++) {
            i[d] = o[d] - p->before[d];
            inside = inside && i[d] >= 0 && i[d] < p->in_shape[d];
        }
        if (inside) TF_MOVE(dst, tf_at(in, i[0], i[1], i[2], i[3], size), size);
        else TF_FILL(dst, (const uint8_t *) p->pad_value, size);
    }
}

void tf_transpose(const tf_transpose_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    const int32_t size = p->element_bytes;
    int32_t o[TF_DIMS], i[TF_DIMS], d;
    TF_FOR_REGION(r, o[0], o[1], o[2], o[3]) {
        for (d = 0; d < TF_DIMS; d++) i[p->perm[d]] = o[d];
        TF_MOVE(tf_at(out, o[0], o[1], o[2], o[3], size), tf_at(in, i[0], i[1], i[2], i[3], size), size);
    }
}

/*
 * CONCATENATION and SPLIT: walk the whole tensor's region in raster order; each element belongs to the part whose
 * range along the axis holds it, at that coordinate minus the part's first. Concatenation moves part to whole,
 * split whole to part.
 */
static void move_parts(const tf_concat_params *p, const tf_view *whole, const tf_view *const *parts, const tf_region *r,
                       int32_t to_parts) {
    const int32_t size = p->element_bytes;
    int32_t w[TF_DIMS], q[TF_DIMS], d, k;
    TF_FOR_REGION(r, w[0], w[1], w[2], w[3]) {
        const int32_t along = w[p->axis];
        uint8_t *at_whole, *at_part;
        k = 0;
        while (k + 1 < p->inputs && along >= p->begin[k + 1]) k++;
        for (d = 0; d < TF_DIMS; d++) q[d] = w[d];
        q[p->axis] = along - p->begin[k];
        at_whole = tf_at(whole, w[0], w[1], w[2], w[3], size);
        at_part = tf_at(parts[k], q[0], q[1], q[2], q[3], size);
        if (to_parts) TF_MOVE(at_part, at_whole, size);
        else TF_MOVE(at_whole, at_part, size);
    }
}

void tf_concatenation(const tf_concat_params *p, const tf_view *const *in, const tf_view *out, const tf_region *r) {
    move_parts(p, out, in, r, 0);
}

void tf_split(const tf_concat_params *p, const tf_view *in, const tf_view *const *out, const tf_region *r) {
    move_parts(p, in, out, r, 1);
}

void tf_pack(const tf_view *const *in, int32_t inputs, const tf_view *out, const tf_region *r, int32_t element_bytes) {
    int32_t value, b, outer, c;
    for (value = r->lo[2]; value < r->hi[2] && value < inputs; value++)
        for (b = r->lo[0]; b < r->hi[0]; b++)
            for (outer = r->lo[1]; outer < r->hi[1]; outer++)
                for (c = r->lo[3]; c < r->hi[3]; c++) {
                    TF_MOVE(tf_at(out, b, outer, value, c, element_bytes), tf_at(in[value], b, outer, 0, c, element_bytes),
                            element_bytes);
                }
}

void tf_strided_slice(const tf_strided_slice_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    const int32_t size = p->element_bytes;
    int32_t o[TF_DIMS], i[TF_DIMS], d;
    TF_FOR_REGION(r, o[0], o[1], o[2], o[3]) {
        for (d = 0; d < TF_DIMS; d++) i[d] = p->start[d] + o[d] * p->step[d];
        TF_MOVE(tf_at(out, o[0], o[1], o[2], o[3], size), tf_at(in, i[0], i[1], i[2], i[3], size), size);
    }
}

void tf_resize_nearest(const tf_resize_nearest_params *p, const tf_view *in, const tf_view *out, const tf_region *r) {
    const int32_t size = p->element_bytes;
    int32_t b, y, x, c;
    TF_FOR_REGION(r, b, y, x, c) {
        TF_MOVE(tf_at(out, b, y, x, c, size), tf_at(in, b, p->src_y[y], p->src_x[x], c, size), size);
    }
}

void tf_unpack(const tf_view *in, const tf_view *const *out, int32_t outputs, const tf_region *r, int32_t element_bytes) {
    int32_t value, b, outer, c;
    for (value = r->lo[2]; value < r->hi[2] && value < outputs; value++)
        for (b = r->lo[0]; b < r->hi[0]; b++)
            for (outer = r->lo[1]; outer < r->hi[1]; outer++)
                for (c = r->lo[3]; c < r->hi[3]; c++) {
                    TF_MOVE(tf_at(out[value], b, outer, 0, c, element_bytes), tf_at(in, b, outer, value, c, element_bytes),
                            element_bytes);
                }
}
