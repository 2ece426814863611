/*
 * tinyfit C runtime, internal: element access and fixed-point helpers shared by the kernels.
 *
 * Every load and store of an activation (an arena tensor, a tile, an accumulator) goes through the TF_LD_* and
 * TF_ST_* macros. Built with -DTF_TRACE they report each access to tf_trace(), which the program provides (the
 * host driver logs them), so a test can compare a kernel's access stream with the loop nest the overlap proofs
 * assume. Built with -DTF_CHECK_VIEWS, every coordinate is checked against its view's region and tf_fault() is
 * called on a miss. Weights and other constants are read with plain loads (TF_LDC_*): they live in flash.
 * Multi-byte values are loaded and stored with memcpy, which keeps unaligned and type-punned arena accesses
 * well-defined and compiles to single moves.
 */
#ifndef TF_ACCESS_H
#define TF_ACCESS_H

#include <stdint.h>
#include <string.h>

#include "tf_runtime.h"

#ifdef TF_TRACE
void tf_trace(const void *address, int32_t bytes, int32_t is_write);
#define TF_TRACE_ACCESS(p, n, w) tf_trace((p), (n), (w))
#else
#define TF_TRACE_ACCESS(p, n, w) ((void) 0)
#endif

#ifdef TF_CHECK_VIEWS
void tf_fault(const char *what);
#define TF_CHECK(v, b, y, x, c) tf_check_view((v), (b), (y), (x), (c))
static inline void tf_check_view(const tf_view *v, int32_t b, int32_t y, int32_t x, int32_t c) {
    if (b < v->lo[0] || b >= v->hi[0] || y < v->lo[1] || y >= v->hi[1] || x < v->lo[2] || x >= v->hi[2]
        || c < v->lo[3] || c >= v->hi[3]) {
        tf_fault("coordinate outside its view");
    }
}
#else
#define TF_CHECK(v, b, y, x, c) ((void) 0)
#endif

/* A load or store of n bytes at p, reported first in a tracing build. */
static inline void tf_load(void *value, const void *p, int32_t n) {
    TF_TRACE_ACCESS(p, n, 0);
    memcpy(value, p, (size_t) n);
}

static inline void tf_store(void *p, const void *value, int32_t n) {
    TF_TRACE_ACCESS(p, n, 1);
    memcpy(p, value, (size_t) n);
}

static inline int32_t tf_ld_s8(const void *p) { int8_t v; tf_load(&v, p, 1); return v; }
static inline void tf_st_s8(void *p, int32_t v) { int8_t x = (int8_t) v; tf_store(p, &x, 1); }
static inline int32_t tf_ld_s16(const void *p) { int16_t v; tf_load(&v, p, 2); return v; }
static inline void tf_st_s16(void *p, int32_t v) { int16_t x = (int16_t) v; tf_store(p, &x, 2); }
static inline int32_t tf_ld_s32(const void *p) { int32_t v; tf_load(&v, p, 4); return v; }
static inline void tf_st_s32(void *p, int32_t v) { tf_store(p, &v, 4); }
static inline float tf_ld_f32(const void *p) { float v; tf_load(&v, p, 4); return v; }
static inline void tf_st_f32(void *p, float v) { tf_store(p, &v, 4); }

/* One element of any size, byte by byte in ascending order: read byte k, then write it (TFLM's copy order). */
static inline void tf_move_element(uint8_t *dst, const uint8_t *src, int32_t bytes) {
    int32_t k;
    for (k = 0; k < bytes; k++) {
        TF_TRACE_ACCESS(src + k, 1, 0);
        TF_TRACE_ACCESS(dst + k, 1, 1);
        dst[k] = src[k];
    }
}

/* One element of any size set to a constant value (a pad value), byte by byte in ascending order. */
static inline void tf_fill_element(uint8_t *dst, const uint8_t *value, int32_t bytes) {
    int32_t k;
    for (k = 0; k < bytes; k++) {
        TF_TRACE_ACCESS(dst + k, 1, 1);
        dst[k] = value[k];
    }
}

/* A whole run of bytes, as TFLM's memcpy moves a tensor; the regions never overlap partially in a valid plan. */
static inline void tf_move_bytes(uint8_t *dst, const uint8_t *src, int32_t bytes) {
#ifdef TF_TRACE
    int32_t k;
    for (k = 0; k < bytes; k++) {
        TF_TRACE_ACCESS(src + k, 1, 0);
        TF_TRACE_ACCESS(dst + k, 1, 1);
        dst[k] = src[k];
    }
#else
    memcpy(dst, src, (size_t) bytes);
#endif
}

#define TF_LD_S8(p) tf_ld_s8(p)
#define TF_ST_S8(p, v) tf_st_s8((p), (v))
#define TF_LD_S16(p) tf_ld_s16(p)
#define TF_ST_S16(p, v) tf_st_s16((p), (v))
#define TF_LD_S32(p) tf_ld_s32(p)
#define TF_ST_S32(p, v) tf_st_s32((p), (v))
#define TF_LD_F32(p) tf_ld_f32(p)
#define TF_ST_F32(p, v) tf_st_f32((p), (v))
#define TF_MOVE(dst, src, n) tf_move_element((dst), (src), (n))
#define TF_FILL(dst, value, n) tf_fill_element((dst), (value), (n))
#define TF_LDC_S8(p) (*(const int8_t *) (p))
#define TF_LDC_S32(p) (*(const int32_t *) (p))

/* Element offset of global coordinate (b, y, x, c) in view v. */
static inline int32_t tf_index(const tf_view *v, int32_t b, int32_t y, int32_t x, int32_t c) {
    TF_CHECK(v, b, y, x, c);
    return (b - v->lo[0]) * v->stride[0] + (y - v->lo[1]) * v->stride[1] + (x - v->lo[2]) * v->stride[2]
         + (c - v->lo[3]) * v->stride[3];
}

/* Address of global coordinate (b, y, x, c) in view v, for elements of the given size. */
static inline uint8_t *tf_at(const tf_view *v, int32_t b, int32_t y, int32_t x, int32_t c, int32_t bytes) {
    return (uint8_t *) v->data + (intptr_t) tf_index(v, b, y, x, c) * bytes;
}

/* Every coordinate of region r in raster order (the last dimension fastest), as TFLM's flat loops walk it. */
#define TF_FOR_REGION(r, b, y, x, c) \
    for ((b) = (r)->lo[0]; (b) < (r)->hi[0]; (b)++) \
        for ((y) = (r)->lo[1]; (y) < (r)->hi[1]; (y)++) \
            for ((x) = (r)->lo[2]; (x) < (r)->hi[2]; (x)++) \
                for ((c) = (r)->lo[3]; (c) < (r)->hi[3]; (c)++)

static inline int32_t tf_min(int32_t a, int32_t b) { return a < b ? a : b; }
static inline int32_t tf_max(int32_t a, int32_t b) { return a > b ? a : b; }
static inline int32_t tf_clamp(int32_t v, int32_t lo, int32_t hi) { return tf_min(tf_max(v, lo), hi); }

/* ---- fixed point, as TFLite's common.h (double rounding: TFLITE_SINGLE_ROUNDING undefined) ----------------- */

/* gemmlowp SaturatingRoundingDoublingHighMul. */
static inline int32_t tf_srdhm(int32_t a, int32_t b) {
    int64_t ab, nudge;
    if (a == b && a == INT32_MIN) return INT32_MAX;
    ab = (int64_t) a * (int64_t) b;
    nudge = ab >= 0 ? ((int64_t) 1 << 30) : (1 - ((int64_t) 1 << 30));
    return (int32_t) ((ab + nudge) / ((int64_t) 1 << 31));
}

/* gemmlowp RoundingDivideByPOT: x / 2^exponent, halves away from zero. */
static inline int32_t tf_rdbpot(int32_t x, int32_t exponent) {
    int32_t mask = (int32_t) (((int64_t) 1 << exponent) - 1);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* Two's-complement left shift, as the reference's x * (1 << shift) computes on real hardware. */
static inline int32_t tf_shl(int32_t x, int32_t shift) {
    return (int32_t) ((uint32_t) x << shift);
}

/* MultiplyByQuantizedMultiplier(int32 x, multiplier, shift). */
static inline int32_t tf_mbqm(int32_t x, int32_t multiplier, int32_t shift) {
    int32_t left = shift > 0 ? shift : 0;
    int32_t right = shift > 0 ? 0 : -shift;
    return tf_rdbpot(tf_srdhm(tf_shl(x, left), multiplier), right);
}

/* MultiplyByQuantizedMultiplierSmallerThanOneExp. */
static inline int32_t tf_mbqm_smaller_than_one(int32_t x, int32_t multiplier, int32_t left_shift) {
    return tf_rdbpot(tf_srdhm(x, multiplier), -left_shift);
}

#endif
