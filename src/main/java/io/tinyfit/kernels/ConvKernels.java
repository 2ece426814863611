package io.tinyfit.kernels;

import java.util.Map;

/**
 * Registers the conv kernel family: CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, FULLY_CONNECTED. One class per
 * operator ({@link Conv2DKernel}, {@link DepthwiseConv2DKernel}, {@link TransposeConvKernel},
 * {@link FullyConnectedKernel}); padding, requantisation parameters, clamps and the hybrid input quantisation
 * they share live in {@link ConvCommon}.
 *
 * <p>Scratch buffers, as TFLM's reference kernels request them at the pinned commit: CONV_2D, DEPTHWISE_CONV_2D and
 * FULLY_CONNECTED request none for float32, int8 and int16 (only packed int4 weights would); TRANSPOSE_CONV requests
 * output elements x 4 bytes for int8, output elements x 8 bytes for int16 (plus bias elements x 8 when the bias is
 * int16), none for float32.
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
