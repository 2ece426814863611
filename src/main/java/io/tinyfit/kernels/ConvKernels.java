package io.tinyfit.kernels;

import java.util.Map;

/**
 * Registers the conv kernel family: CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, FULLY_CONNECTED. One class per
 * operator ({@link Conv2DKernel}, {@link DepthwiseConv2DKernel}, {@link TransposeConvKernel},
 * {@link FullyConnectedKernel}); padding, requantisation parameters, clamps and the hybrid input quantisation
 * they share live in {@link ConvCommon}.
 *
 * <p>Scratch buffers, as TFLM's reference kernels request them at the pinned commit: CONV_2D, DEPTHWISE_CONV_2D and
 * FULLY_CONNECTED request none for float32, int8 and int16 (only a packed int4 filter would, one byte per element);
 * TRANSPOSE_CONV requests output elements x 4 bytes for int8, output elements x 8 bytes for int16 (plus bias
 * elements x 8 when the bias is int16), none for float32. The opsuite's arena figures agree: once these requests
 * are counted in the head, the TRANSPOSE_CONV cases leave the same persistent tail (768 to 832 bytes) as the
 * CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED cases with none.
 *
 * <p>Beyond TFLM: TFLite's legacy uint8 paths (input and weight zero points, a per-tensor multiplier whose scale
 * product is taken in float) and its hybrid paths (float32 activations, int8 weights, input quantised per batch
 * row or image). TFLM refuses both; tinyfit runs them so that such models can still be planned and checked.
 */
final class ConvKernels {
    private ConvKernels() {}

    static void register(Map<String, Kernel> kernels) {
        kernels.put("CONV_2D", Conv2DKernel.INSTANCE);
        kernels.put("DEPTHWISE_CONV_2D", DepthwiseConv2DKernel.INSTANCE);
        kernels.put("TRANSPOSE_CONV", TransposeConvKernel.INSTANCE);
        kernels.put("FULLY_CONNECTED", FullyConnectedKernel.INSTANCE);
    }
}
