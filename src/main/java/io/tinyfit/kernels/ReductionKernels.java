package io.tinyfit.kernels;

import java.util.Map;

/** Registers the reduction kernel family: AVERAGE_POOL_2D, MAX_POOL_2D, MEAN, SUM, SOFTMAX, LOG_SOFTMAX, ARG_MAX, ARG_MIN, RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR. */
final class ReductionKernels {
    private ReductionKernels() {}

    static void register(Map<String, Kernel> kernels) {
    }
}
