/*
 * The C runtime's region views: every kernel computing an output tile from input tiles (copied out of the whole
 * tensor with tf_copy_region, so a tile view holds exactly the halo it needs, in its own buffer), and CONV_2D and
 * FULLY_CONNECTED split into accumulate steps over input-channel slices plus a finish step, give byte for byte
 * what the unsplit kernel gives on the whole tensor. Built with -DTF_CHECK_VIEWS: a kernel that reads or writes
 * outside a view's region fails the run. Prints one "ok <case>" line per case; exits non-zero on a mismatch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tf_runtime.h"

static uint32_t state = 0x12345678u;

static uint32_t next(void) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

static void fill(int8_t *p, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) p[i] = (int8_t) next();
}

void tf_fault(const char *what) {
    printf("FAIL view check: %s\n", what);
    exit(1);
}

static int32_t count(const int32_t d[4]) { return d[0] * d[1] * d[2] * d[3]; }

/* A view of region [lo, hi) held in its own row-major buffer. */
static tf_view view_of(void *data, const int32_t lo[4], const int32_t hi[4]) {
    tf_view v;
    int32_t d, s = 1;
    v.data = data;
    for (d = 3; d >= 0; d--) {
        v.lo[d] = lo[d];
        v.hi[d] = hi[d];
        v.stride[d] = s;
        s *= hi[d] - lo[d];
    }
    return v;
}

static tf_view whole(void *data, const int32_t dims[4]) {
    static const int32_t zero[4] = {0, 0, 0, 0};
    return view_of(data, zero, dims);
}

static tf_region region(int32_t b0, int32_t b1, int32_t y0, int32_t y1, int32_t x0, int32_t x1, int32_t c0, int32_t c1) {
    tf_region r;
    r.lo[0] = b0; r.hi[0] = b1;
    r.lo[1] = y0; r.hi[1] = y1;
    r.lo[2] = x0; r.hi[2] = x1;
    r.lo[3] = c0; r.hi[3] = c1;
    return r;
}

static int32_t extent(const tf_region *r) {
    return (r->hi[0] - r->lo[0]) * (r->hi[1] - r->lo[1]) * (r->hi[2] - r->lo[2]) * (r->hi[3] - r->lo[3]);
}

static int failures;

static void check(const char *name, const void *want, const void *got, int32_t bytes) {
    if (memcmp(want, got, (size_t) bytes) != 0) {
        printf("FAIL %s\n", name);
        failures++;
    } else {
        printf("ok %s\n", name);
    }
}

/* A square window: filter size, stride, dilation and padding before the data. */
typedef struct {
    int32_t f, stride, dilation, pad;
} window;

static int32_t window_out(int32_t size, const window *g) { return (size + 2 * g->pad - (g->f - 1) * g->dilation - 1) / g->stride + 1; }

/* The input positions a window over outputs [o0, o1) reads, clipped to the image [0, size). */
static void window_span(int32_t o0, int32_t o1, const window *g, int32_t size, int32_t *lo, int32_t *hi) {
    *lo = o0 * g->stride - g->pad;
    *hi = (o1 - 1) * g->stride - g->pad + (g->f - 1) * g->dilation + 1;
    if (*lo < 0) *lo = 0;
    if (*hi > size) *hi = size;
}

enum { CONV, DEPTHWISE, AVERAGE_POOL, MAX_POOL };

static void run_window(int kind, const void *params, const tf_view *in, const tf_view *out, const tf_region *r) {
    if (kind == CONV) tf_conv2d_s8((const tf_conv_params *) params, in, out, r);
    else if (kind == DEPTHWISE) tf_depthwise_conv2d_s8((const tf_depthwise_params *) params, in, out, r);
    else if (kind == AVERAGE_POOL) tf_average_pool_s8((const tf_pool_params *) params, in, out, r);
    else tf_max_pool_s8((const tf_pool_params *) params, in, out, r);
}

/* Output tiles: 3 bands of rows x 2 of columns x 2 of channels (every edge inside the tensor somewhere). */
static int32_t tiles(const int32_t dims[4], tf_region *t) {
    int32_t n = 0, b, i, j, k;
    const int32_t ys[4] = {0, dims[1] / 3, 2 * dims[1] / 3 + 1, dims[1]};
    const int32_t xs[3] = {0, dims[2] / 2, dims[2]};
    const int32_t cs[3] = {0, dims[3] / 2 + 1, dims[3]};
    for (b = 0; b < dims[0]; b++)
        for (i = 0; i < 3; i++)
            for (j = 0; j < 2; j++)
                for (k = 0; k < 2; k++) {
                    tf_region r = region(b, b + 1, ys[i], ys[i + 1], xs[j], xs[j + 1], cs[k], cs[k + 1]);
                    if (extent(&r) > 0) t[n++] = r;
                }
    return n;
}

/*
 * Runs a window kernel on the whole tensor into want, then tile by tile: each tile from a copy of just the input
 * it needs (all channels for CONV_2D, the tile's own channels otherwise) into a tile buffer, copied into got.
 * channel_divisor maps an output channel to its input channel (depth multiplier; 1 for pooling).
 */
static void compare_tiles(const char *label, int kind, const void *params, int8_t *in, const int32_t in_dims[4],
                          const int32_t out_dims[4], const window *g, int32_t channel_divisor) {
    static int8_t want[1 << 14], got[1 << 14], in_tile[1 << 16], out_tile[1 << 16];
    const tf_view vin = whole(in, in_dims), vwant = whole(want, out_dims), vgot = whole(got, out_dims);
    tf_region all = region(0, out_dims[0], 0, out_dims[1], 0, out_dims[2], 0, out_dims[3]), t[64];
    int32_t n, i;
    run_window(kind, params, &vin, &vwant, &all);
    memset(got, 0x5A, sizeof got);
    n = tiles(out_dims, t);
    for (i = 0; i < n; i++) {
        tf_region need;
        tf_view tin, tout;
        need.lo[0] = t[i].lo[0];
        need.hi[0] = t[i].hi[0];
        window_span(t[i].lo[1], t[i].hi[1], g, in_dims[1], &need.lo[1], &need.hi[1]);
        window_span(t[i].lo[2], t[i].hi[2], g, in_dims[2], &need.lo[2], &need.hi[2]);
        need.lo[3] = kind == CONV ? 0 : t[i].lo[3] / channel_divisor;
        need.hi[3] = kind == CONV ? in_dims[3] : (t[i].hi[3] - 1) / channel_divisor + 1;
        tin = view_of(in_tile, need.lo, need.hi);
        tout = view_of(out_tile, t[i].lo, t[i].hi);
        tf_copy_region(&tin, &vin, &need, 1);
        run_window(kind, params, &tin, &tout, &t[i]);
        tf_copy_region(&vgot, &tout, &t[i], 1);
    }
    check(label, want, got, count(out_dims));
}

static void requant(int32_t *mult, int32_t *shift, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) {
        mult[i] = (int32_t) (0x40000000u + (next() & 0x3FFFFFFFu));
        shift[i] = -7 - (int32_t) (next() % 4);
    }
}

static void fill_bias(int32_t *bias, int32_t n) {
    int32_t i;
    for (i = 0; i < n; i++) bias[i] = (int32_t) (next() % 2001) - 1000;
}

static void conv_case(const char *name, int32_t batches, int32_t h, int32_t w, int32_t groups, int32_t fdepth, int32_t oc, window g) {
    static int8_t in[1 << 14], filter[1 << 14], want[1 << 14], got[1 << 14];
    static int32_t bias[64], mult[64], shift[64], acc[1 << 14];
    const int32_t in_dims[4] = {batches, h, w, groups * fdepth};
    const int32_t out_dims[4] = {batches, window_out(h, &g), window_out(w, &g), oc};
    tf_conv_params p;
    tf_view vin = whole(in, in_dims), vwant = whole(want, out_dims), vgot = whole(got, out_dims), vacc = whole(acc, out_dims);
    tf_region all = region(0, out_dims[0], 0, out_dims[1], 0, out_dims[2], 0, out_dims[3]);
    int32_t slice;
    char label[128];
    fill(in, count(in_dims));
    fill(filter, oc * g.f * g.f * fdepth);
    fill_bias(bias, oc);
    requant(mult, shift, oc);
    memset(&p, 0, sizeof p);
    p.in_h = h; p.in_w = w; p.filter_h = g.f; p.filter_w = g.f; p.filter_depth = fdepth; p.filters_per_group = oc / groups;
    p.stride_h = g.stride; p.stride_w = g.stride; p.dilation_h = g.dilation; p.dilation_w = g.dilation; p.pad_h = g.pad; p.pad_w = g.pad;
    p.input_offset = 7; p.output_offset = -3; p.act_min = -128; p.act_max = 127;
    p.filter = filter; p.bias = bias; p.multiplier = mult; p.shift = shift;
    snprintf(label, sizeof label, "conv %s tiles", name);
    compare_tiles(label, CONV, &p, in, in_dims, out_dims, &g, 1);

    /* accumulate over slices of 1, 2, 3 of the input's channels (across groups), the first storing, then finish */
    tf_conv2d_s8(&p, &vin, &vwant, &all);
    memset(got, 0x5A, sizeof got);
    memset(acc, 0x5A, sizeof acc);
    for (slice = 0; slice < groups * fdepth; slice += 1 + slice % 3) {
        int32_t hi = slice + 1 + slice % 3;
        tf_conv2d_acc_s8(&p, &vin, &vacc, &all, slice, hi < groups * fdepth ? hi : groups * fdepth, slice == 0);
    }
    tf_conv2d_finish_s8(&p, &vacc, &vgot, &all);
    snprintf(label, sizeof label, "conv %s accumulate/finish", name);
    check(label, want, got, count(out_dims));
}

static void depthwise_case(const char *name, int32_t h, int32_t w, int32_t ic, int32_t m, window g) {
    static int8_t in[1 << 14], filter[1 << 12];
    static int32_t bias[64], mult[64], shift[64];
    const int32_t in_dims[4] = {1, h, w, ic};
    const int32_t out_dims[4] = {1, window_out(h, &g), window_out(w, &g), ic * m};
    tf_depthwise_params p;
    char label[128];
    fill(in, count(in_dims));
    fill(filter, g.f * g.f * ic * m);
    fill_bias(bias, ic * m);
    requant(mult, shift, ic * m);
    memset(&p, 0, sizeof p);
    p.in_h = h; p.in_w = w; p.filter_h = g.f; p.filter_w = g.f; p.depth_multiplier = m; p.out_depth = ic * m;
    p.stride_h = g.stride; p.stride_w = g.stride; p.dilation_h = g.dilation; p.dilation_w = g.dilation; p.pad_h = g.pad; p.pad_w = g.pad;
    p.input_offset = -5; p.output_offset = 2; p.act_min = -100; p.act_max = 120;
    p.filter = filter; p.bias = bias; p.multiplier = mult; p.shift = shift;
    snprintf(label, sizeof label, "depthwise %s tiles", name);
    compare_tiles(label, DEPTHWISE, &p, in, in_dims, out_dims, &g, m);
}

static void pool_case(const char *name, int kind, int32_t h, int32_t w, int32_t c, window g) {
    static int8_t in[1 << 14];
    const int32_t in_dims[4] = {2, h, w, c};
    const int32_t out_dims[4] = {2, window_out(h, &g), window_out(w, &g), c};
    tf_pool_params p;
    char label[128];
    fill(in, count(in_dims));
    memset(&p, 0, sizeof p);
    p.in_h = h; p.in_w = w; p.filter_h = g.f; p.filter_w = g.f; p.stride_h = g.stride; p.stride_w = g.stride; p.pad_h = g.pad; p.pad_w = g.pad;
    p.act_min = -128; p.act_max = 127;
    snprintf(label, sizeof label, "%s %s tiles", kind == AVERAGE_POOL ? "average pool" : "max pool", name);
    compare_tiles(label, kind, &p, in, in_dims, out_dims, &g, 1);
}

static void fully_connected_case(void) {
    static int8_t in[6 * 40], filter[9 * 40], want[6 * 9], got[6 * 9];
    static int32_t bias[9], mult[9], shift[9], acc[6 * 9];
    const int32_t in_dims[4] = {1, 1, 6, 40}, out_dims[4] = {1, 1, 6, 9};
    tf_fc_params p;
    tf_view vin, vout, vgot, vacc;
    tf_region all;
    int32_t k, row, oc;
    fill(in, 6 * 40);
    fill(filter, 9 * 40);
    fill_bias(bias, 9);
    requant(mult, shift, 9);
    memset(&p, 0, sizeof p);
    p.depth = 40; p.per_channel = 1; p.input_offset = 3; p.filter_offset = 0; p.output_offset = -1; p.act_min = -128; p.act_max = 127;
    p.filter = filter; p.bias = bias; p.multiplier = mult; p.shift = shift;
    vin = whole(in, in_dims);
    vout = whole(want, out_dims);
    vgot = whole(got, out_dims);
    all = region(0, 1, 0, 1, 0, 6, 0, 9);
    tf_fully_connected_s8(&p, &vin, &vout, &all);

    /* row bands x output-channel slices, each from a copy of just its input rows */
    memset(got, 0x5A, sizeof got);
    for (row = 0; row < 6; row += 4)
        for (oc = 0; oc < 9; oc += 5) {
            static int8_t in_tile[6 * 40], out_tile[6 * 9];
            tf_region r = region(0, 1, 0, 1, row, row + 4 < 6 ? row + 4 : 6, oc, oc + 5 < 9 ? oc + 5 : 9);
            tf_region need = region(0, 1, 0, 1, r.lo[2], r.hi[2], 0, 40);
            tf_view tin = view_of(in_tile, need.lo, need.hi), tout = view_of(out_tile, r.lo, r.hi);
            tf_copy_region(&tin, &vin, &need, 1);
            tf_fully_connected_s8(&p, &tin, &tout, &r);
            tf_copy_region(&vgot, &tout, &r, 1);
        }
    check("fully connected tiles", want, got, 6 * 9);

    memset(got, 0x5A, sizeof got);
    memset(acc, 0x5A, sizeof acc);
    vacc = whole(acc, out_dims);
    for (k = 0; k < 40; k += 13) tf_fully_connected_acc_s8(&p, &vin, &vacc, &all, k, k + 13 < 40 ? k + 13 : 40, k == 0);
    tf_fully_connected_finish_s8(&p, &vacc, &vgot, &all);
    check("fully connected accumulate/finish", want, got, 6 * 9);
}

/* PAD over output tiles: a tile edge inside the tensor is never padding. */
static void pad_case(void) {
    static int8_t in[2 * 5 * 4 * 3], want[2 * 8 * 9 * 5], got[2 * 8 * 9 * 5];
    const int32_t in_dims[4] = {2, 5, 4, 3}, out_dims[4] = {2, 8, 9, 5};
    const int8_t value = -9;
    tf_pad_params p;
    tf_view vin = whole(in, in_dims), vout = whole(want, out_dims), vgot = whole(got, out_dims);
    tf_region all = region(0, 2, 0, 8, 0, 9, 0, 5), t[64];
    int32_t n, i, d;
    fill(in, count(in_dims));
    memset(&p, 0, sizeof p);
    for (d = 0; d < 4; d++) p.in_shape[d] = in_dims[d];
    p.before[1] = 1; p.before[2] = 3; p.before[3] = 1;
    p.pad_value = &value;
    p.element_bytes = 1;
    tf_pad(&p, &vin, &vout, &all);
    memset(got, 0x5A, sizeof got);
    n = tiles(out_dims, t);
    for (i = 0; i < n; i++) {
        static int8_t out_tile[1 << 10];
        tf_view tout = view_of(out_tile, t[i].lo, t[i].hi);
        tf_pad(&p, &vin, &tout, &t[i]);
        tf_copy_region(&vgot, &tout, &t[i], 1);
    }
    check("pad tiles", want, got, count(out_dims));
}

/* ADD with a broadcast operand (stride 0 along H and W) over output tiles. */
static void add_case(void) {
    static int8_t a[1 * 6 * 7 * 4], b[4], want[6 * 7 * 4], got[6 * 7 * 4];
    const int32_t dims[4] = {1, 6, 7, 4};
    tf_add_params p;
    tf_view va = whole(a, dims), vb, vout = whole(want, dims), vgot = whole(got, dims);
    tf_region all = region(0, 1, 0, 6, 0, 7, 0, 4), t[64];
    int32_t n, i;
    fill(a, count(dims));
    fill(b, 4);
    vb = whole(b, dims);
    vb.stride[0] = vb.stride[1] = vb.stride[2] = 0;
    vb.stride[3] = 1;
    memset(&p, 0, sizeof p);
    p.left_shift = 20; p.input1_offset = 5; p.input2_offset = -3; p.output_offset = 1;
    p.input1_multiplier = 1073741824; p.input1_shift = -1; p.input2_multiplier = 1431655765; p.input2_shift = -2;
    p.output_multiplier = 1518500250; p.output_shift = -18; p.act_min = -128; p.act_max = 127;
    tf_add_s8(&p, &va, &vb, &vout, &all);
    memset(got, 0x5A, sizeof got);
    n = tiles(dims, t);
    for (i = 0; i < n; i++) tf_add_s8(&p, &va, &vb, &vgot, &t[i]);
    check("add broadcast tiles", want, got, count(dims));
}

/* Region copies between views of different layouts: an int32 block out of a tensor into its own buffer and into
   a zeroed tensor, which then holds the block and nothing else. */
static void copy_case(void) {
    static int32_t src[2 * 3 * 4 * 5], block[2 * 3 * 2], want[2 * 3 * 4 * 5], got[2 * 3 * 4 * 5];
    const int32_t dims[4] = {2, 3, 4, 5};
    tf_region r = region(1, 2, 1, 3, 0, 3, 2, 4);
    tf_view vsrc = whole(src, dims), vblock = view_of(block, r.lo, r.hi), vgot = whole(got, dims);
    int32_t b, y, x, c;
    for (b = 0; b < 2 * 3 * 4 * 5; b++) src[b] = (int32_t) next();
    memset(want, 0, sizeof want);
    for (b = r.lo[0]; b < r.hi[0]; b++)
        for (y = r.lo[1]; y < r.hi[1]; y++)
            for (x = r.lo[2]; x < r.hi[2]; x++)
                for (c = r.lo[3]; c < r.hi[3]; c++) {
                    const int32_t at = ((b * 3 + y) * 4 + x) * 5 + c;
                    want[at] = src[at];
                }
    tf_copy_region(&vblock, &vsrc, &r, 4);
    memset(got, 0, sizeof got);
    tf_copy_region(&vgot, &vblock, &r, 4);
    check("copy region", want, got, sizeof want);
}

int main(void) {
    const window s1 = {3, 1, 1, 1}, s2 = {3, 2, 1, 1}, d2 = {3, 1, 2, 2}, k5 = {5, 2, 1, 0}, k1 = {1, 1, 1, 0};
    const window p2 = {2, 2, 1, 0}, p3 = {3, 1, 1, 1}, p3s2 = {3, 2, 1, 1};
    conv_case("3x3 s1 same", 1, 9, 11, 1, 6, 5, s1);
    conv_case("3x3 s2 same b2", 2, 10, 9, 1, 7, 4, s2);
    conv_case("3x3 s1 dilation2", 1, 11, 10, 1, 5, 6, d2);
    conv_case("5x5 s2 valid", 1, 13, 12, 1, 3, 4, k5);
    conv_case("1x1 grouped", 1, 6, 7, 2, 4, 6, k1);
    depthwise_case("3x3 s1 m1", 9, 8, 6, 1, s1);
    depthwise_case("3x3 s2 m2", 10, 11, 3, 2, s2);
    depthwise_case("3x3 dilation2 m3", 11, 9, 2, 3, d2);
    pool_case("2x2 s2", AVERAGE_POOL, 8, 9, 5, p2);
    pool_case("3x3 s1 same", AVERAGE_POOL, 7, 8, 4, p3);
    pool_case("2x2 s2", MAX_POOL, 8, 9, 5, p2);
    pool_case("3x3 s2 same", MAX_POOL, 9, 7, 4, p3s2);
    fully_connected_case();
    pad_case();
    add_case();
    copy_case();
    return failures == 0 ? 0 : 1;
}
