package io.tinyfit.kernels;

import java.util.Map;

/** Registers the elementwise kernel family: ADD, SUB, MUL, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, RELU, RELU6, LEAKY_RELU, PRELU, HARD_SWISH, LOGISTIC, TANH, QUANTIZE, DEQUANTIZE. */
final class ElementwiseKernels {
    private ElementwiseKernels() {}

    static void register(Map<String, Kernel> kernels) {
    }
}
