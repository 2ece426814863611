/*
 * tinyfit C runtime: int8 kernels bit-exact with TensorFlow Lite Micro's reference kernels, written over
 * region views so that one kernel computes a whole tensor or any tile of it.
 *
 * A tf_view is a window onto part of a tensor: it holds the elements from lo to hi (exclusive) in the tensor's
 * own (global) NHWC coordinates, extended to 4-D, and data points at the element at lo. A kernel is told which
 * region of its output to compute (a tf_region in global output coordinates) and reads its inputs at global
 * coordinates through their views, so the views only have to cover what the region needs. Padding is decided
 * from global coordinates and the global input shape held in the parameters: the edge of a tile inside the
 * tensor is never treated as padding.
 *
 * Loop nests follow TFLM's reference loop order exactly (a plan's proven input/output overlaps depend on it),
 * and every activation load and store goes through the macros of tf_access.h, so that a build with -DTF_TRACE
 * reports each one. No dynamic allocation; nothing from the C library beyond string.h and stdint.h.
 */
#ifndef TF_RUNTIME_H
#define TF_RUNTIME_H

#include <stdint.h>

#define TF_DIMS 4

/* A region of a tensor in global coordinates: lo inclusive, hi exclusive, per dimension (N, H, W, C). */
typedef struct {
    int32_t lo[TF_DIMS];
    int32_t hi[TF_DIMS];
} tf_region;

/*
 * Part of a tensor in memory. data is the address of the element at lo; stride[d] is the distance in elements
 * between neighbours along dimension d (0 along a dimension an operand is broadcast over). Constant operands are
 * viewed the same way; kernels never write through an input view.
 */
typedef struct {
    void *data;
    int32_t lo[TF_DIMS];
    int32_t hi[TF_DIMS];
    int32_t stride[TF_DIMS];
} tf_view;

/* ---- convolutions ------------------------------------------------------------------------------------------ */

/*
 * CONV_2D, int8 activations and int8 per-channel weights (reference_integer_ops::ConvPerChannel). The filter is
 * [out_c][filter_h][filter_w][filter_depth]; input channels = groups x filter_depth, and output channel oc reads
 * input channels from (oc / filters_per_group) * filter_depth on. bias may be NULL.
 */
typedef struct {
    int32_t in_h, in_w;
    int32_t filter_h, filter_w, filter_depth, filters_per_group;
    int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
    int32_t input_offset, output_offset, act_min, act_max;
    const int8_t *filter;
    const int32_t *bias;
    const int32_t *multiplier, *shift;
} tf_conv_params;

void tf_conv2d_s8(const tf_conv_params *p, const tf_view *in, const tf_view *out, const tf_region *r);
/*
 * Adds the int32 partial sums over input channels [ic_lo, ic_hi) (of the input tensor; each output channel takes the
 * part of its group's channels inside the slice) into acc, an int32 view over r. With first, the sums are stored
 * instead of added: the accumulator needs no initialisation.
 */
void tf_conv2d_acc_s8(const tf_conv_params *p, const tf_view *in, const tf_view *acc, const tf_region *r,
                      int32_t ic_lo, int32_t ic_hi, int32_t first);
/* Bias, requantisation and activation of the accumulated sums: out = what tf_conv2d_s8 writes. */
void tf_conv2d_finish_s8(const tf_conv_params *p, const tf_view *acc, const tf_view *out, const tf_region *r);

/* DEPTHWISE_CONV_2D (reference_integer_ops::DepthwiseConvPerChannel); filter [1][filter_h][filter_w][out_c]. */
typedef struct {
    int32_t in_h, in_w;
    int32_t filter_h, filter_w, depth_multiplier, out_depth;
    int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
    int32_t input_offset, output_offset, act_min, act_max;
    const int8_t *filter;
    const int32_t *bias;
    const int32_t *multiplier, *shift;
} tf_depthwise_params;

void tf_depthwise_conv2d_s8(const tf_depthwise_params *p, const tf_view *in, const tf_view *out, const tf_region *r);

/*
 * FULLY_CONNECTED (reference_integer_ops::FullyConnected / FullyConnectedPerChannel). Input and output are viewed
 * as [1][1][rows][depth] and [1][1][rows][out_c]; weights [out_c][depth]. With per_channel, multiplier and shift
 * hold one entry per output channel and the weight offset is 0; otherwise one entry.
 */
typedef struct {
    int32_t depth, per_channel;
    int32_t input_offset, filter_offset, output_offset, act_min, act_max;
    const int8_t *filter;
    const int32_t *bias;
    const int32_t *multiplier, *shift;
} tf_fc_params;

void tf_fully_connected_s8(const tf_fc_params *p, const tf_view *in, const tf_view *out, const tf_region *r);
/* The partial sums over depth [k_lo, k_hi), stored into acc with first, added otherwise. */
void tf_fully_connected_acc_s8(const tf_fc_params *p, const tf_view *in, const tf_view *acc, const tf_region *r,
                               int32_t k_lo, int32_t k_hi, int32_t first);
void tf_fully_connected_finish_s8(const tf_fc_params *p, const tf_view *acc, const tf_view *out, const tf_region *r);

/* ---- pooling ----------------------------------------------------------------------------------------------- */

/* AVERAGE_POOL_2D and MAX_POOL_2D (reference_integer_ops::AveragePool / MaxPool), int8. */
typedef struct {
    int32_t in_h, in_w, filter_h, filter_w, stride_h, stride_w, pad_h, pad_w, act_min, act_max;
} tf_pool_params;

void tf_average_pool_s8(const tf_pool_params *p, const tf_view *in, const tf_view *out, const tf_region *r);
void tf_max_pool_s8(const tf_pool_params *p, const tf_view *in, const tf_view *out, const tf_region *r);

/* ---- element-wise ------------------------------------------------------------------------------------------ */

/*
 * ADD (reference_integer_ops::AddElementwise / BroadcastAdd6DSlow) and SUB (SubElementwise / BroadcastQuantSubSlow,
 * the same arithmetic with a difference); broadcasting is a stride of 0 in a view.
 */
typedef struct {
    int32_t left_shift, input1_offset, input2_offset, output_offset;
    int32_t input1_multiplier, input1_shift, input2_multiplier, input2_shift, output_multiplier, output_shift;
    int32_t act_min, act_max;
} tf_add_params;

void tf_add_s8(const tf_add_params *p, const tf_view *in1, const tf_view *in2, const tf_view *out, const tf_region *r);
void tf_sub_s8(const tf_add_params *p, const tf_view *in1, const tf_view *in2, const tf_view *out, const tf_region *r);

/* MUL (reference_integer_ops::MulElementwise / BroadcastMul4DSlow). */
typedef struct {
    int32_t input1_offset, input2_offset, output_offset, output_multiplier, output_shift, act_min, act_max;
} tf_mul_params;

void tf_mul_s8(const tf_mul_params *p, const tf_view *in1, const tf_view *in2, const tf_view *out, const tf_region *r);

/*
 * MAXIMUM and MINIMUM (MaximumMinimumBroadcastSlow): a selection with C's a > b ? a : b (a < b ? a : b), so ties
 * and NaNs pick input 2; elements are TF_INT8, TF_INT16, TF_INT32 or TF_FLOAT32.
 */
enum { TF_INT8, TF_INT16, TF_INT32, TF_FLOAT32 };

typedef struct {
    int32_t element_type, maximum;
} tf_select_params;

void tf_maximum_minimum(const tf_select_params *p, const tf_view *in1, const tf_view *in2, const tf_view *out, const tf_region *r);

/* LEAKY_RELU (reference_ops::QuantizeLeakyRelu): the identity multiplier for x >= 0, the alpha one below. */
typedef struct {
    int32_t input_zero_point, output_zero_point;
    int32_t identity_multiplier, identity_shift, alpha_multiplier, alpha_shift;
} tf_leaky_relu_params;

void tf_leaky_relu_s8(const tf_leaky_relu_params *p, const tf_view *in, const tf_view *out, const tf_region *r);

/* QUANTIZE: float32 to int8 (AffineQuantize) and int8 to int8 (Requantize). */
typedef struct {
    float scale;
    int32_t zero_point;
} tf_quantize_params;

void tf_quantize_f32_s8(const tf_quantize_params *p, const tf_view *in, const tf_view *out, const tf_region *r);

/*
 * QUANTIZE int8 to int8 (Requantize), RELU (ReluQuantized: requantised, clamped from the output zero point) and
 * RELU6 (Relu6Quantized: the identity multiplier 2^30 with shift 1, clamped to [input zero point, six]).
 */
typedef struct {
    int32_t input_zero_point, output_zero_point, multiplier, shift, act_min, act_max;
} tf_requantize_params;

void tf_requantize_s8(const tf_requantize_params *p, const tf_view *in, const tf_view *out, const tf_region *r);

/* DEQUANTIZE int8 to float32: scale * (float)(q - zero_point). */
void tf_dequantize_s8_f32(const tf_quantize_params *p, const tf_view *in, const tf_view *out, const tf_region *r);

/* ---- rows and reductions ----------------------------------------------------------------------------------- */

/*
 * SOFTMAX over the last dimension, int8 input, int8 or int16 output (reference_ops::Softmax, gemmlowp fixed
 * point). Views are [1][1][rows][depth]; the region picks rows and must span whole rows in dimension 3.
 */
typedef struct {
    int32_t input_beta_multiplier, input_beta_left_shift, diff_min, output_bits;
} tf_softmax_params;

void tf_softmax_s8(const tf_softmax_params *p, const tf_view *in, const tf_view *out, const tf_region *r);

/*
 * MEAN and SUM over the dimensions flagged in reduced[] (reference_ops::QuantizedMeanOrSum), int8. The output is viewed
 * with the input's 4-D shape and extent 1 along the reduced dimensions; temp is an int32 view over the same
 * region for the running sums (TFLM's scratch buffer). For MEAN the multiplier already folds in 1 / count.
 */
typedef struct {
    int32_t in_shape[TF_DIMS];
    int32_t reduced[TF_DIMS];
    int32_t count, input_zero_point, output_zero_point, multiplier, shift;
} tf_mean_params;

void tf_mean_s8(const tf_mean_params *p, const tf_view *in, const tf_view *temp, const tf_view *out, const tf_region *r);

/* ---- data movement (any element size) ---------------------------------------------------------------------- */

/* Copies region r from src to dst, both viewed in the same global coordinates: the region copy step. */
void tf_copy_region(const tf_view *dst, const tf_view *src, const tf_region *r, int32_t element_bytes);

/* RESHAPE: one copy of the tensor's bytes, skipped when input and output are the same bytes (as in TFLM). */
void tf_reshape(const tf_view *in, const tf_view *out, int32_t bytes);
/*
 * RESHAPE over an output region or between tiles: each output element of r from the input element at the same flat
 * (row-major) index, in_shape and out_shape the two tensors' shapes extended to 4-D.
 */
typedef struct {
    int32_t in_shape[TF_DIMS];
    int32_t out_shape[TF_DIMS];
    int32_t element_bytes;
} tf_reshape_params;

void tf_reshape_region(const tf_reshape_params *p, const tf_view *in, const tf_view *out, const tf_region *r);
/* SQUEEZE and EXPAND_DIMS: TFLM copies unconditionally. */
void tf_copy_tensor(const tf_view *in, const tf_view *out, int32_t bytes);

/* PAD / PADV2 (reference_ops::Pad): output element = input at (coordinate - before) inside, else pad_value. */
typedef struct {
    int32_t in_shape[TF_DIMS];
    int32_t before[TF_DIMS];
    const void *pad_value;
    int32_t element_bytes;
} tf_pad_params;

void tf_pad(const tf_pad_params *p, const tf_view *in, const tf_view *out, const tf_region *r);

/* TRANSPOSE: output coordinate d is input coordinate perm[d]. */
typedef struct {
    int32_t perm[TF_DIMS];
    int32_t element_bytes;
} tf_transpose_params;

void tf_transpose(const tf_transpose_params *p, const tf_view *in, const tf_view *out, const tf_region *r);

/*
 * CONCATENATION along axis: input i holds output coordinates [begin[i], begin[i + 1]) along it, and is viewed in
 * its own coordinates. The output is written in raster order, as TFLM's slab copies write it. SPLIT and SPLIT_V are
 * the mirror image: output i takes input coordinates [begin[i], begin[i + 1]), the input is read in raster order
 * over region r of the input.
 */
typedef struct {
    int32_t axis, inputs, element_bytes;
    const int32_t *begin;
} tf_concat_params;

void tf_concatenation(const tf_concat_params *p, const tf_view *const *in, const tf_view *out, const tf_region *r);
void tf_split(const tf_concat_params *p, const tf_view *in, const tf_view *const *out, const tf_region *r);

/*
 * PACK: the output is viewed as [1][outer][inputs][inner] and input i as [1][outer][1][inner]; written input by
 * input, outer index by outer index, as TFLM's reference loop does.
 */
void tf_pack(const tf_view *const *in, int32_t inputs, const tf_view *out, const tf_region *r, int32_t element_bytes);
/* UNPACK, PACK's mirror: the input is [1][outer][outputs][inner], output i [1][outer][1][inner], written output by output. */
void tf_unpack(const tf_view *in, const tf_view *const *out, int32_t outputs, const tf_region *r, int32_t element_bytes);

/* STRIDED_SLICE: output coordinate k reads input coordinate start[d] + k * step[d] in each dimension. */
typedef struct {
    int32_t start[TF_DIMS];
    int32_t step[TF_DIMS];
    int32_t element_bytes;
} tf_strided_slice_params;

void tf_strided_slice(const tf_strided_slice_params *p, const tf_view *in, const tf_view *out, const tf_region *r);

/* RESIZE_NEAREST_NEIGHBOR: output row y reads input row src_y[y], column x reads src_x[x] (GetNearestNeighbor). */
typedef struct {
    const int32_t *src_y, *src_x;
    int32_t element_bytes;
} tf_resize_nearest_params;

void tf_resize_nearest(const tf_resize_nearest_params *p, const tf_view *in, const tf_view *out, const tf_region *r);

#endif
