package io.tinyfit.kernels;

import java.util.Map;

/** Registers the conv kernel family: CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, FULLY_CONNECTED. */
final class ConvKernels {
    private ConvKernels() {}

    static void register(Map<String, Kernel> kernels) {
    }
}
